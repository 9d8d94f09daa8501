import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as OfflineUtil from "@point_of_sale/../tests/generic_helpers/offline_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
import * as TextInputPopup from "@point_of_sale/../tests/generic_helpers/text_input_popup_util";
import { registry } from "@web/core/registry";

/** Put a card on the order with the button of the main screen. */
function scanCard(number) {
    return [
        {
            content: "the loyalty card button is on the main screen",
            trigger: ".product-screen .control-buttons:not(.control-buttons-modal) .o_loyalty_network_card_button",
            run: "click",
        },
        TextInputPopup.inputText(number),
        Dialog.confirm(),
    ];
}

function bannerHas(selector, text, screen = ".product-screen") {
    return {
        content: `the card banner shows ${text}`,
        trigger: `${screen} .o_loyalty_network_banner ${selector}:contains('${text}')`,
    };
}

function receiptHas(selector, text) {
    return {
        content: `the receipt prints ${text}`,
        trigger: `.o_loyalty_network_receipt ${selector}:contains('${text}')`,
    };
}

registry.category("web_tour.tours").add("LoyaltyNetworkPosTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            scanCard("2990777777770"),
            bannerHas(".o_loyalty_holder", "Tour Holder"),
            bannerHas(".o_loyalty_balance", "6.00"),
            {
                content: "the holder is the order's customer",
                trigger: ".product-screen .set-partner:contains('Tour Holder')",
            },
            ProductScreen.addOrderline("Loyalty Basket", "1"),
            // 50.00 at 4 %, as the server's money engine says
            bannerHas(".o_loyalty_preview_credit", "2.00"),
            ProductScreen.clickPayButton(),
            bannerHas(".o_loyalty_balance", "6.00", ".payment-screen"),
            PaymentScreen.clickPaymentMethod("Loyalty Wallet"),
            // the wallet proposes what it holds, up to the amount due
            PaymentScreen.selectedPaymentlineHas("Loyalty Wallet", "6.00"),
            // 44.00 left to pay by other means earns 1.76
            bannerHas(".o_loyalty_preview_credit", "1.76", ".payment-screen"),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.remainingIs("0.00"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            receiptHas(".o_loyalty_receipt_wallet_paid", "6.00"),
            receiptHas(".o_loyalty_receipt_credit", "1.76"),
            receiptHas(".o_loyalty_receipt_balance_after", "1.76"),
        ].flat(),
});

registry.category("web_tour.tours").add("LoyaltyNetworkPosReceiptTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            // A new holder: the first credit pays the account opening fee
            scanCard("2990777777787"),
            bannerHas(".o_loyalty_holder", "New Holder"),
            ProductScreen.addOrderline("Opening Basket", "1"),
            bannerHas(".o_loyalty_preview_credit", "4.82"),
            bannerHas(".o_loyalty_preview_opening_fee", "4.00"),
            bannerHas(".o_loyalty_preview_balance_after", "0.82"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.remainingIs("0.00"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            receiptHas(".o_loyalty_receipt_credit", "4.82"),
            receiptHas(".o_loyalty_receipt_opening_fee", "4.00"),
            receiptHas(".o_loyalty_receipt_balance_after", "0.82"),
            ReceiptScreen.clickNextOrder(),
            // A holder in their birthday month earns 10 %
            scanCard("2990777777794"),
            bannerHas(".o_loyalty_holder", "Birthday Holder"),
            ProductScreen.addOrderline("Loyalty Basket", "1"),
            bannerHas(".o_loyalty_preview_credit", "5.00"),
            bannerHas(".o_loyalty_preview", "10"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.remainingIs("0.00"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            receiptHas(".o_loyalty_receipt_credit", "5.00"),
            receiptHas(".o_loyalty_receipt_balance_after", "26.00"),
            ReceiptScreen.clickNextOrder(),
            // Offline, the receipt cannot know what the server will post
            scanCard("2990777777770"),
            bannerHas(".o_loyalty_holder", "Tour Holder"),
            ProductScreen.addOrderline("Loyalty Basket", "1"),
            bannerHas(".o_loyalty_preview_credit", "2.00"),
            OfflineUtil.setOfflineMode(),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.remainingIs("0.00"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.receiptIsThere(),
            receiptHas(".o_loyalty_receipt_pending", "Credit computed at sync"),
            {
                content: "no posted figure is printed",
                trigger: ".o_loyalty_network_receipt:not(:has(.o_loyalty_receipt_credit))",
            },
            Dialog.confirm("Continue with limited functionality"),
            OfflineUtil.setOnlineMode(),
        ].flat(),
});
