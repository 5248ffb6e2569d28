"""The report's "Cost, carbon and water" section: capex, opex, NPV, CUE/WUE and tokens, every default marked
with its confidence and source so a stakeholder tells the site's own numbers from reference values."""

from __future__ import annotations

import math
from collections.abc import Mapping

from designer.analysis.economics import SUBSYSTEMS, EconomicsSummary, capex_by_entry
from designer.analysis.economics_report import money, opex_basis, reference_line
from designer.analysis.economics_years import economics_over_years
from designer.analysis.profiles import load_profiles
from designer.analysis.results import Results
from designer.io.economics_io import load_economics_defaults
from designer.io.errors import FileFormatError
from designer.model.catalog import CatalogEntry
from designer.model.project import Project
from designer.model.types import WorkloadClass
from designer.ui.export.flow import Column, Flow
from designer.ui.export.page import MUTED


def summary_for(project: Project, results: Results, catalog: Mapping[str, CatalogEntry]) -> EconomicsSummary | None:
    """The design's economics, or None when the bundled defaults cannot be read."""
    try:
        defaults = load_economics_defaults()
    except FileFormatError:
        return None
    profile = load_profiles(project.site.utc_offset_h).by_class[WorkloadClass.INFERENCE]
    return economics_over_years(project, results, catalog, defaults, inference_profile=profile.tolist())


def _n(value: float, digits: int = 0, unit: str = "") -> str:
    if not math.isfinite(value):
        return "n/a"
    return f"{value:,.{digits}f}" + (f" {unit}" if unit else "")


def _setting(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"


def _m(value: float) -> str:
    """Millions with two decimals, a dash for nothing, "n/a" when unknown."""
    if not math.isfinite(value):
        return "n/a"
    return f"{value / 1e6:,.2f}" if value else "-"


def _by_year_table(flow: Flow, summary: EconomicsSummary) -> None:
    """Capex by year of spend and subsystem, and each year's opex (the design as built that year)."""
    subsystems = [name for name in SUBSYSTEMS if summary.capex_by_subsystem.get(name)]
    study = {y.year: y for y in summary.years}
    rows = []
    for year in sorted(set(study) | set(summary.capex_by_year_subsystem)):
        spent = summary.capex_by_year_subsystem.get(year, {})
        entry = study.get(year)
        if entry is None and not any(spent.values()):
            continue
        opex = _m(entry.opex) if entry is not None else "after the study"
        rows.append([str(year), *(_m(spent.get(name, 0.0)) for name in subsystems),
                     _m(sum(spent.values())), opex])
    rows.append(["Total", *(_m(summary.capex_by_subsystem[name]) for name in subsystems), _m(summary.capex),
                 _m(sum(y.opex for y in summary.years))])
    titles = ["IT" if name == "it" else name.capitalize() for name in subsystems]
    flow.table([Column("Year", 0.7), *(Column(title, 1.0, "right") for title in titles),
                Column("Capex", 1.0, "right"), Column("Opex", 1.0, "right")], rows, pt=8.0,
               caption=f"Capex by year of entry into service and subsystem, and opex by year (M {summary.currency})")
    if summary.capex_after_study:
        flow.paragraph(f"{money(summary.capex_after_study, summary.currency)} of capex falls after the "
                       f"{summary.study_years}-year study period and is left out of the NPV.", colour=MUTED)


def economics_section(flow: Flow, summary: EconomicsSummary | None) -> str:
    """Write the section; return the source texts it cites (for the references)."""
    flow.heading("Cost, carbon and water", new_page=True)
    if summary is None:
        flow.paragraph("The economics defaults could not be read: no cost, carbon or water figures.")
        return ""
    c = summary.currency
    flow.paragraph(
        f"Money in {c} at {summary.price_year} prices. Capex is spent at the start of the year each item (or pod) "
        f"enters service, a hall's building with its first phase, from {summary.first_year}; opex is paid at the "
        f"end of each of {summary.study_years} years{opex_basis(summary)} and discounted at "
        f"{summary.discount_rate:.1%}. Energy comes from the hourly model over the site's weather year"
        + ("" if summary.energy_from_climate else " (no climate: the design day stands for every day)")
        + ". Figures from defaults are marked 'default' with their confidence (P primary, S secondary, E estimate) "
        "and source.")
    analysed = f" ({summary.analysed_year})" if summary.analysed_year is not None else ""
    rows = [
        ["Capex", f"{money(summary.capex, c)} ({money(summary.capex_low, c)} to {money(summary.capex_high, c)})"],
        *[[f"  {name}", money(value, c)] for name, value in summary.capex_by_subsystem.items() if value],
        ["Capex per MW of design IT", f"{money(summary.cost_per_mw_it, c)} ({summary.design_it_mw:,.2f} MW)"],
        [f"Energy per year{analysed}", f"{money(summary.energy_cost_per_year, c)} "
                                        f"({_n(summary.facility_mwh_per_year)} MWh)"],
        [f"Maintenance per year{analysed}", money(summary.maintenance_per_year, c)],
        [f"Water per year{analysed}", f"{money(summary.water_cost_per_year, c)} ({_n(summary.water_m3_per_year)} m3)"],
        ["NPV of cost", money(summary.npv, c)],
        ["Levelised cost per MWh of IT", money(summary.lcoe_per_mwh_it, c)],
        ["Annual PUE / WUE / CUE", f"{_n(summary.annual_pue, 3)} / {_n(summary.wue_l_per_kwh, 3, 'L/kWh')} / "
                                   f"{_n(summary.cue_kg_per_kwh, 3, 'kgCO2/kWh')}"],
        ["CO2 per year", _n(summary.co2_t_per_year, 0, "t") if summary.grid is not None
         else "unknown: no grid carbon intensity for the site"],
    ]
    flow.table([Column("Figure", 2), Column("Value", 3)], rows, caption="Cost, carbon and water of the design")
    reference = reference_line(summary)
    if reference:
        flow.paragraph(reference, colour=MUTED)
    _by_year_table(flow, summary)
    flow.table(
        [Column("Entry", 2.2), Column("Count", 0.6, "right"), Column("Capex", 1.1, "right"),
         Column("Conf", 0.5, "center"), Column("Price source", 4.0)],
        [[e.catalog_id, str(e.count), money(e.cost, c), e.confidence, e.source]
         for e in capex_by_entry(summary.lines)],
        pt=8.0, caption="Capex by catalog entry, with the source and confidence of each price")
    if summary.uncosted:
        flow.paragraph("Not costed, left out of every total: " + "; ".join(
            f"{u.count} x {u.name} ({u.reason})" for u in summary.uncosted), colour=MUTED)
    used = list(summary.used.values())
    if summary.grid is not None:
        used.append(summary.grid.used)
    flow.table(
        [Column("Setting", 2.2), Column("Value", 1.2, "right"), Column("Origin", 0.9), Column("Source", 4.0)],
        [[u.label, f"{_setting(u.value)} {u.unit}", f"default [{u.confidence}]" if u.is_default else "project",
          u.source] for u in used],
        pt=8.0, caption="Settings used (defaults and the project's own values)")
    tokens = summary.tokens
    if tokens is not None:
        flow.table(
            [Column("Hour", 0.6, "right"), Column("Wh per million tokens", 1.5, "right"),
             Column(f"{c} per million tokens", 1.5, "right")],
            [[str(h), _n(float(tokens.wh_per_m_tokens[h]), 0), _n(float(tokens.cost_per_m_tokens[h]), 4)]
             for h in range(0, 24, 3)],
            pt=8.0, caption=f"Inference energy and cost by local hour ({tokens.racks} racks)")
        flow.paragraph(f"Tokens at the benchmark throughput of the racks' catalog entries ({'; '.join(tokens.models)})"
                       ": a best case; interactive latency limits cut throughput. Facility energy at that hour's PUE.",
                       colour=MUTED)
    texts = [u.source for u in used]
    if tokens is not None:
        texts += list(tokens.sources)
    texts += [line.source for line in summary.lines]
    return " ".join(texts)

