import { PaymentScreen } from "@point_of_sale/app/screens/payment_screen/payment_screen";
import { LoyaltyBanner } from "@loyalty_pos/app/components/loyalty_banner";
import { patch } from "@web/core/utils/patch";

patch(PaymentScreen, {
    components: { ...PaymentScreen.components, LoyaltyBanner },
});
