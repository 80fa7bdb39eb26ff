"""Reference levels: the library (load published levels, add local DRLs, revise as versions) and its pages."""
