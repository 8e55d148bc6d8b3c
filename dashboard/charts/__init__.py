"""Plotly figures built from query results: no SQL, no widgets.

    layout      the template, export config, wrapped title and footer, the one-step Figure build
    colours     topic colours with a fallback palette
    trend       the Trends chart (small multiples, one panel per topic)
    map_extent  the map's frame and its enlarged panel's frame (Mercator arithmetic)
    map_marks   place bubbles, the size legend, place names placed without overlaps
    world_map   the Map page's figure (countries shaded on a log scale, places as bubbles)
    sources     sources over time with the archive's gaps
    figures     the Reported figures page's charts (killed, defected, breakdowns)
    bar         the Data page's plain bar chart

Every clickable point carries `customdata` so pages can map a click back to what it stands for
(trend points: [topic_id, period ISO date]; map: ["country", code] or ["place", name]). The
names pages use are re-exported here (`charts.trend_figure`, `charts.map_figure`, ...).
"""
from dashboard.charts.bar import bar_figure
from dashboard.charts.colours import FALLBACK_COLOURS, rgba, topic_colours
from dashboard.charts.layout import (FOOTER_CHARS, PLOTLY_CONFIG, TEMPLATE, TITLE_CHARS, Draft, figure, screen, show,
                                     wrap_title)
from dashboard.charts.map_extent import CORE_RATIO, CORE_SHARE, FRAME_ASPECT, OUTSIDE_SHARE, core_frame, map_frame
from dashboard.charts.map_marks import MAX_BUBBLE, MIN_BUBBLE, PLACE_LABELS, bubble_size
from dashboard.charts.trend import MIN_SHARE_BASE, PANEL_HEIGHT, SINGLE_PANEL, trend_figure
from dashboard.charts.world_map import (BORDER, COUNTRY_SCALE, LAND, MAIN_SPLIT, MAP_WIDTH, PANEL_GAP, SEA,
                                        SIDE_BOTTOM, map_figure)

__all__ = [
    "bar_figure", "FALLBACK_COLOURS", "rgba", "topic_colours",
    "FOOTER_CHARS", "PLOTLY_CONFIG", "TEMPLATE", "TITLE_CHARS", "Draft", "figure", "screen", "show", "wrap_title",
    "CORE_RATIO", "CORE_SHARE", "FRAME_ASPECT", "OUTSIDE_SHARE", "core_frame", "map_frame",
    "MAX_BUBBLE", "MIN_BUBBLE", "PLACE_LABELS", "bubble_size",
    "MIN_SHARE_BASE", "PANEL_HEIGHT", "SINGLE_PANEL", "trend_figure",
    "BORDER", "COUNTRY_SCALE", "LAND", "MAIN_SPLIT", "MAP_WIDTH", "PANEL_GAP", "SEA", "SIDE_BOTTOM", "map_figure",
]
