"""What Dagster loads (`workspace.yaml`): the definitions `load_defs` puts together."""

from pipelines.assembly import load_defs

defs = load_defs()
