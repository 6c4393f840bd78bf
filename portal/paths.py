"""Where the project's files are. Imports nothing, so any module may use it without a cycle."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"
INFRA_TEMPLATE = ROOT / "infra" / "template.yaml"
ZAPPA_SETTINGS = ROOT / "zappa_settings.json"
