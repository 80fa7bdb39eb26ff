"""The dose dashboards: chart specs to plotly figures, the reads behind them, and the study pages."""
