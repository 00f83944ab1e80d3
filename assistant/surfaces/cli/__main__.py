"""`python -m assistant.surfaces.cli`: the same as the `bpo-assistant` console script."""

from assistant.surfaces.cli import main

main()
