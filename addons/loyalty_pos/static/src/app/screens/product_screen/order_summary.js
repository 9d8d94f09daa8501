import { OrderSummary } from "@point_of_sale/app/screens/product_screen/order_summary/order_summary";
import { LoyaltyBanner } from "@loyalty_pos/app/components/loyalty_banner";
import { patch } from "@web/core/utils/patch";

patch(OrderSummary, {
    components: { ...OrderSummary.components, LoyaltyBanner },
});
