import { registry } from "@web/core/registry";

/**
 * A shop joins a network operation (data of test_network_operation.py: the
 * baker opens the published "Marché de Noël" and makes the bakery take part).
 */
registry.category("web_tour.tours").add("annonay_loyalty_operation_join_tour", {
    steps: () => [
        {
            content: "Open the operation",
            trigger: ".o_data_row .o_data_cell:contains('Marché de Noël')",
            run: "click",
        },
        {
            content: "My shop takes part",
            trigger: "button.o_loyalty_operation_join",
            run: "click",
        },
        {
            content: "It can leave again while the operation is open",
            trigger: "button.o_loyalty_operation_leave",
        },
    ],
});
