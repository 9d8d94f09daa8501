import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
import * as TextInputPopup from "@point_of_sale/../tests/generic_helpers/text_input_popup_util";
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("LoyaltyNetworkPosTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickControlButton("Loyalty Card"),
            TextInputPopup.inputText("2990777777770"),
            Dialog.confirm(),
            {
                content: "the holder and the balance are shown on the order",
                trigger: ".o_loyalty_network_banner:contains('Tour Holder'):contains('6.00')",
            },
            ProductScreen.addOrderline("Loyalty Basket", "1"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Loyalty Wallet"),
            PaymentScreen.enterPaymentLineAmount("Loyalty Wallet", "6"),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.remainingIs("0.00"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            {
                content: "the receipt prints the card, the credit and the new balance",
                trigger: ".o_loyalty_network_receipt:contains('Credit earned'):contains('1.76')",
            },
        ].flat(),
});
