"""Small data sets and a course file for ``exactml handout --config`` and ``exactml derive``.

``FOLDER`` is where they are installed: copy them and edit.

>>> sorted(p.name for p in FOLDER.glob("*.toml"))
['course.toml']
"""

from pathlib import Path

FOLDER = Path(__file__).resolve().parent
