"""``python -m designer`` does what ``dc-designer`` does."""

import sys

from designer.cli import main

sys.exit(main())
