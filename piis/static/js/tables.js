/* Record tables on a narrow screen: each row becomes a card and each cell shows its column's header, read from the
   table's own <thead> (one source for the header text, so nothing to keep in step in the templates). The CSS
   (piis.css, "narrow screens") stacks only tables marked data-stack; without this script a table scrolls inside
   its own width instead. A table inside .table-scroll (a matrix, such as the team load) is left as a table.
   At every width, a cell holding an unbroken run of characters (an address, a link) is marked .long-token so that
   it wraps anywhere instead of widening the table past the page. */
(function () {
    "use strict";
    const LONG_TOKEN = /\S{30,}/;

    function columnLabels(table) {
        const row = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
        const labels = [];
        if (!row) {
            return labels;
        }
        for (const cell of row.cells) {
            const text = cell.textContent.trim().replace(/\s+/g, " ");
            for (let i = 0; i < cell.colSpan; i += 1) {
                labels.push(text);
            }
        }
        return labels;
    }

    function stack(table) {
        if (table.closest(".table-scroll")) {
            return;
        }
        const labels = columnLabels(table);
        for (const body of table.tBodies) {
            for (const row of body.rows) {
                let column = 0;
                for (const cell of row.cells) {
                    const label = labels[column];
                    if (label && !cell.hasAttribute("data-label") && cell.colSpan === 1) {
                        cell.setAttribute("data-label", label);
                    }
                    // An empty cell is left out of the card rather than shown as a label without a value.
                    cell.toggleAttribute("data-empty", !cell.textContent.trim() && !cell.querySelector("img, input"));
                    // A run of 30 characters without a space (an e-mail address, a link) may break anywhere.
                    cell.classList.toggle("long-token", LONG_TOKEN.test(cell.textContent));
                    column += cell.colSpan;
                }
            }
        }
        table.setAttribute("data-stack", "");
    }

    function stackAll(root) {
        const scope = root instanceof Element ? root : document;
        const owner = scope instanceof Element ? scope.closest("table.list") : null;
        if (owner) {
            stack(owner);
        }
        scope.querySelectorAll("table.list").forEach(stack);
    }

    document.addEventListener("DOMContentLoaded", function () {
        stackAll(document);
    });
    // Rows that htmx swaps in (the file list's live search) are labelled too.
    document.addEventListener("htmx:load", function (event) {
        stackAll(event.target);
    });
})();
