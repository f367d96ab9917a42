"""Board HTML: escaped fragments, front matter, footer, charts with alt texts, templates."""
