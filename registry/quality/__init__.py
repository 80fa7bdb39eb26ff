"""Quality-control scans: phantom and QA exposures flagged, listed, and left out of what counts patients."""
