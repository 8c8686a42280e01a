package kh.dds.billing.invoice;

import java.text.NumberFormat;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import kh.dds.schema.csv.CsvCell;
import kh.dds.schema.time.PhnomPenh;

/** An issued document as CSV (one row per line) and as a print-ready HTML page (A4, no script, nothing remote). */
public final class InvoiceDocuments {

    public static final String CSV_HEADER = "number,kind,contract_id,organisation,month,issued_at,corrects,line_no,"
            + "product,tariff_id,tier,tier_from,tier_up_to,units,unit_price_khr,amount_khr\n";
    private static final DateTimeFormatter ISSUED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'ICT'");

    private InvoiceDocuments() {
    }

    public static String csv(Invoice invoice) {
        StringBuilder out = new StringBuilder(CSV_HEADER);
        for (Invoice.Line line : invoice.lines()) {
            out.append(invoice.number()).append(',').append(invoice.kind()).append(',').append(invoice.contractId())
                    .append(',').append(CsvCell.of(invoice.organisation())).append(',').append(invoice.month())
                    .append(',').append(invoice.issuedAt()).append(',')
                    .append(invoice.corrects() == null ? "" : invoice.corrects()).append(',')
                    .append(line.lineNo()).append(',').append(line.product()).append(',')
                    .append(line.tariffId() == null ? "" : line.tariffId()).append(',').append(line.tier()).append(',')
                    .append(line.tierFrom()).append(',').append(line.tierUpTo() == null ? "" : line.tierUpTo())
                    .append(',').append(line.units()).append(',').append(line.unitPrice()).append(',')
                    .append(line.amount()).append('\n');
        }
        return out.toString();
    }

    public static String html(Invoice invoice) {
        NumberFormat riel = NumberFormat.getIntegerInstance(Locale.US);
        String title = invoice.kind() == Invoice.Kind.INVOICE ? "Invoice" : "Credit note";
        StringBuilder rows = new StringBuilder();
        for (Invoice.Line line : invoice.lines()) {
            String range = line.tier() == 0 ? "no tariff"
                    : (line.tierFrom() + 1) + (line.tierUpTo() == null ? " and above" : " – " + line.tierUpTo());
            rows.append("<tr><td>").append(line.lineNo()).append("</td><td>").append(escape(line.product()))
                    .append("</td><td>").append(line.tier() == 0 ? "–" : Integer.toString(line.tier()))
                    .append("</td><td>").append(escape(range)).append("</td><td class=n>")
                    .append(riel.format(line.units())).append("</td><td class=n>").append(riel.format(line.unitPrice()))
                    .append("</td><td class=n>").append(riel.format(line.amount())).append("</td></tr>\n");
        }
        String corrects = invoice.corrects() == null ? ""
                : "<p>" + (invoice.kind() == Invoice.Kind.CREDIT_NOTE ? "Reverses" : "Replaces") + " "
                        + escape(invoice.corrects()) + (invoice.reason() == null ? "" : ": " + escape(invoice.reason()))
                        + "</p>\n";
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>%1$s %2$s</title>
                <style>
                @page { size: A4; margin: 18mm; }
                body { font-family: "Noto Sans", "Noto Sans Khmer", sans-serif; font-size: 10pt; color: #000; }
                h1 { font-size: 16pt; margin: 0 0 4mm; }
                table { border-collapse: collapse; width: 100%%; margin-top: 6mm; }
                th, td { border-bottom: 0.3mm solid #999; padding: 1.5mm 2mm; text-align: left; }
                td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
                tfoot td { font-weight: bold; border-bottom: none; }
                .meta td { border: none; padding: 0.5mm 2mm 0.5mm 0; }
                </style></head>
                <body>
                <h1>%1$s %2$s</h1>
                <p>Population Registry — Identity Data Distribution Service</p>
                <table class="meta">
                <tr><td>Billed to</td><td>%3$s</td></tr>
                <tr><td>Contract</td><td>%4$s</td></tr>
                <tr><td>Period</td><td>%5$s (Asia/Phnom_Penh)</td></tr>
                <tr><td>Issued</td><td>%6$s</td></tr>
                </table>
                %7$s<table>
                <thead><tr><th>#</th><th>Product</th><th>Tier</th><th>Units of the month</th><th class=n>Units</th>
                <th class=n>Unit price (KHR)</th><th class=n>Amount (KHR)</th></tr></thead>
                <tbody>
                %8$s</tbody>
                <tfoot><tr><td colspan=4>Total</td><td class=n>%9$s</td><td></td><td class=n>%10$s</td></tr></tfoot>
                </table>
                <p>Amounts in whole riel (KHR).</p>
                </body></html>
                """.formatted(title, escape(invoice.number()), escape(invoice.organisation()), invoice.contractId(),
                invoice.month(), ISSUED.format(invoice.issuedAt().atZone(PhnomPenh.ZONE)), corrects, rows,
                riel.format(invoice.units()), riel.format(invoice.total()));
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
