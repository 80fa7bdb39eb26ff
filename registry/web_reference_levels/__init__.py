"""The reference-level library's pages: the table of current levels, local DRLs, revisions, history."""
