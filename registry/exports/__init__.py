"""Exports: CSV streams, XLSX workbooks and the PDF audit report, one pipeline for every modality."""
