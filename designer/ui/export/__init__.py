"""Qt-rendered exports: plan sheets, the stakeholder report, chart images and the export menu."""
