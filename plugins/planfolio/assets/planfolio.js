// planfolio: sortable tables. Material's document$ fires on every page load, instant navigation included.
document$.subscribe(function () {
  document.querySelectorAll("table.pf-sortable").forEach(function (table) {
    if (!table.dataset.pfSortable) {
      table.dataset.pfSortable = "yes";
      new Tablesort(table);
    }
  });
});
