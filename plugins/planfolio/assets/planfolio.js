// Mermaid, from the site itself and only where a page has a diagram. Material draws every `pre.mermaid`
// with the global `mermaid` and, when there is none, fetches Mermaid from a CDN. This stand-in is that global
// until the first diagram needs it: it loads the vendored library, replays Material's configuration (with
// securityLevel "strict" enforced) and renders. The real library then replaces it for every later diagram.
// An element whose id is "mermaid" (a page's heading "Mermaid", say) is also `window.mermaid` to a browser:
// that is no library, and Material would fetch one from a CDN; the stand-in shadows it.
(function () {
  if (typeof window.mermaid !== "undefined" && !(window.mermaid instanceof Element)) return;
  var source = new URL("../vendor/mermaid.min.js", document.currentScript.src).href;
  // Mermaid's ELK layout (an ES module, so imported rather than loaded as a script): the constraint diagrams ask
  // for it (`layout: elk`), as it routes every edge around the boxes that are not its own. Registered before the
  // first render; its renderer is fetched only for a diagram that uses it.
  var elkLayout = new URL("../vendor/layout-elk/mermaid-layout-elk.esm.min.mjs", document.currentScript.src).href;
  var LIMITS = {
    maxTextSize: 200000,
    maxEdges: 2000,
  };
  var configuration = {};
  var loading = null;
  function load() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = source;
        script.onload = function () {
          var library = window.mermaid;
          // A fixed seed: Mermaid draws some shapes (the goal's stadium) with rough.js, randomly by default;
          // seeded, the same plan draws the same picture on every load (and in the README's screenshots).
          // The limits fit the largest plan planfolio draws on one page (Mermaid's defaults, 50,000 characters
          // and 500 edges, refuse it): the core's MERMAID_CONFIG (core/diagram.py) holds the same numbers. Mermaid
          // keeps these keys and securityLevel out of reach of a diagram's own directives (its `secure` list).
          library.initialize(Object.assign({}, configuration, LIMITS, { securityLevel: "strict", handDrawnSeed: 1 }));
          import(elkLayout).then(function (layouts) {
            library.registerLayoutLoaders(layouts.default);
            resolve(library);
          }, reject);
        };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return loading;
  }
  window.mermaid = {
    initialize: function (options) { configuration = options || {}; },
    render: function (id, text) {
      return load().then(function (library) { return library.render(id, text); });
    },
  };
})();

// planfolio: sortable tables. Material's document$ fires on every page load, instant navigation included.
document$.subscribe(function () {
  document.querySelectorAll("table.pf-sortable").forEach(function (table) {
    if (!table.dataset.pfSortable) {
      table.dataset.pfSortable = "yes";
      new Tablesort(table);
    }
  });
  // Material's search overlay is a role="dialog" without a name; screen readers announce it as "Search".
  document.querySelectorAll('.md-search[role="dialog"]:not([aria-label]):not([aria-labelledby])').forEach(function (dialog) {
    dialog.setAttribute("aria-label", "Search");
  });
});
