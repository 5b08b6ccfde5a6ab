"""The pages layer: pages that compose several domain apps (home, file page, contract page, agenda, the DPO's audit
trail; later the portal's and the reports' pages). Domain apps never import it; it imports them."""
