"""The reports for the municipalities: `mhtool report quarterly|yearly`.

A report is built once as data (`model.Report`: front-page facts and
sections with a table, a chart spec, sentences and notes) by `build`, made
fit for publication by `publish`, and written by `render` in the format the
output file's extension asks for (Markdown, xlsx, docx, html)."""
