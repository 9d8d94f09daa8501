import { PosStore } from "@point_of_sale/app/services/pos_store";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";

/** Wait after the last change of the order before asking the server for a preview. */
export const LOYALTY_PREVIEW_DELAY = 300;

patch(PosStore.prototype, {
    /**
     * Ask the server for the card (exact number: any card; name or phone: this
     * shop's customers) and put it on the current order. Earning itself is
     * decided by the server when the order syncs.
     */
    async setLoyaltyCard(query) {
        return this._applyLoyaltyCard("loyalty_lookup_card", [this.config.id, query]);
    },
    /** Enrol a new holder on a blank card, then put the card on the order. */
    async enrolLoyaltyCard(holder) {
        return this._applyLoyaltyCard("loyalty_enrol_card", [
            this.config.id,
            holder.card_number,
            holder,
        ]);
    },
    async _applyLoyaltyCard(method, args) {
        const order = this.getOrder();
        let card;
        try {
            card = await this.data.call("pos.config", method, args);
        } catch (error) {
            this.dialog.add(AlertDialog, {
                title: _t("Loyalty card"),
                body: error.data?.message || _t("The card could not be checked: are we online?"),
            });
            return false;
        }
        const { pos_data: posData, ...cardInfo } = card;
        order.loyalty_card_number = cardInfo.number;
        order.uiState.loyaltyCard = cardInfo;
        order.uiState.loyaltyPreview = null;
        await this._setLoyaltyHolder(order, cardInfo.partner_id, posData);
        return cardInfo;
    },
    /** The holder becomes the order's customer (loaded as the server sent it). */
    async _setLoyaltyHolder(order, partnerId, posData) {
        if (posData && !this.models["res.partner"].get(partnerId)) {
            const data = await this.data.missingRecursive(posData);
            this.data.synchronizeServerDataInIndexedDB(data);
            this.models.connectNewData(data);
        }
        const partner = this.models["res.partner"].get(partnerId);
        if (partner && order.getPartner() !== partner && !order.getHasRefundLines()) {
            order.setPartner(partner);
        }
    },
    loyaltyCardOf(order) {
        return order?.loyalty_card_number ? order.uiState.loyaltyCard || null : null;
    },
    /** What the order pays from the wallet (its wallet payment lines). */
    loyaltyWalletAmount(order) {
        return order.currency.round(
            order.payment_ids
                .filter((p) => p.payment_method_id.is_loyalty_wallet)
                .reduce((sum, p) => sum + p.amount, 0)
        );
    },
    /** What the server preview depends on; empty without a card. */
    loyaltyPreviewKey(order) {
        const card = this.loyaltyCardOf(order);
        if (!card || order.finalized || order.isRefund) {
            return "";
        }
        return JSON.stringify([
            card.number,
            order.currency.round(order.priceIncl),
            this.loyaltyWalletAmount(order),
        ]);
    },
    /**
     * The server's preview of the order as it stands ({loading, data, error}),
     * or null. Figures are the money engine's: none is computed here.
     */
    loyaltyPreviewOf(order) {
        const key = this.loyaltyPreviewKey(order);
        const preview = key && order.uiState.loyaltyPreview;
        if (!preview) {
            return null;
        }
        return preview.key === key ? preview : { ...preview, loading: true };
    },
    /** Ask the server again for the preview once the order stops changing. */
    loyaltyRequestPreview(order) {
        const key = this.loyaltyPreviewKey(order);
        if (!key || order.uiState.loyaltyPreview?.key === key) {
            return;
        }
        order.uiState.loyaltyPreview = {
            ...order.uiState.loyaltyPreview,
            key,
            loading: true,
        };
        this._loyaltyPreviewTimers ||= {};
        clearTimeout(this._loyaltyPreviewTimers[order.uuid]);
        this._loyaltyPreviewTimers[order.uuid] = setTimeout(
            () => this._fetchLoyaltyPreview(order, key),
            LOYALTY_PREVIEW_DELAY
        );
    },
    async _fetchLoyaltyPreview(order, key) {
        delete this._loyaltyPreviewTimers[order.uuid];
        const [number, amountTotal, walletAmount] = JSON.parse(key);
        let data = null;
        let error = null;
        try {
            data = await this.data.call("pos.config", "loyalty_preview", [
                this.config.id,
                number,
                amountTotal,
                walletAmount,
            ]);
        } catch (err) {
            error = err.data?.message || _t("Credit computed at sync");
        }
        if (order.uiState.loyaltyPreview?.key === key) {
            order.uiState.loyaltyPreview = { key, loading: false, data, error };
        }
    },
});
