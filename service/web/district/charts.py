"""全区图表: the four charts (ECharts, static/charts.js) with their tables, over the very data
GET /api/v1/district/charts answers, embedded in the page as a JSON data element."""
from __future__ import annotations

from flask import current_app, render_template

from service.api.district_charts import chart_data

from .blueprint import bp


@bp.get("/charts")
def charts():
    """The charts and their tables."""
    data = chart_data(current_app._get_current_object())
    return render_template("web/district/charts.html", data=data, generated_at=data["generated_at"])
