-- Which parcels an order line went in: looked up from the line (order page, shipped
-- quantities), which the primary key (shipment_id, order_line_id) cannot serve.
CREATE INDEX shipment_lines_order_line ON shipment_lines (order_line_id);
