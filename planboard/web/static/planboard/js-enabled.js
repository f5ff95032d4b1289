// Mark the page as scripted before it renders, as the NHS.UK template does inline:
// the design system styles some components differently when JavaScript runs.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
