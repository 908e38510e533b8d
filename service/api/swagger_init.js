// Starts Swagger UI on /api/v1/docs. A file of the service rather than a script in the page, so the
// page keeps the Content-Security-Policy without inline script (script-src 'self'). The page puts
// the OpenAPI document's URL and flask-smorest's OPENAPI_SWAGGER_UI_CONFIG on the container.
window.addEventListener("load", function () {
  var container = document.getElementById("swagger-ui-container");
  var config = JSON.parse(container.getAttribute("data-config") || "{}");
  config.url = container.getAttribute("data-spec-url");
  config.dom_id = "#swagger-ui-container";
  window.ui = SwaggerUIBundle(config);
});
