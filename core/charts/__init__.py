"""Charts as images: pure renderers from plain data and localized texts to PNG bytes.

`model` holds the data each chart takes (picklable dataclasses, no matplotlib); `render`
draws them (`render_all` for an album); `series`, `heatmaps` and `funnel` draw with matplotlib
(object-oriented API, Agg canvas) in the style of `style`, with the font of `fonts`. Drawing
runs in the worker process (bot/worker.py): matplotlib is never imported by the bot process.
See docs/charts.md.
"""
