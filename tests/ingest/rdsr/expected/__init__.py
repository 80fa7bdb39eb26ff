"""Expected values of the corpus acceptance tests, read by hand from each file's DICOM content."""
