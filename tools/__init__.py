"""Build-time tools (generators whose output is committed); not part of the installed ``vskg`` package."""
