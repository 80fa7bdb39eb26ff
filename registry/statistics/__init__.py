"""Dose statistics: the metric registry, the dashboard filters, percentiles, DRL statistics, workload counts.

Reads only (and the workload count kept beside the studies): no view, form, template or HTTP code.
"""
