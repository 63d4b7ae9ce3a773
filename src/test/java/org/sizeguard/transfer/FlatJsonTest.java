package org.sizeguard.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FlatJsonTest {

    @Test
    void writesMembersInOrderWithStringsEscaped() {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("type", "start");
        members.put("size", 1_073_741_824L);
        members.put("name", "a \"quoted\" \\ name\n\u0001");

        assertThat(FlatJson.write(members))
                .isEqualTo("{\"type\":\"start\",\"size\":1073741824,\"name\":\"a \\\"quoted\\\" \\\\ name\\n\\u0001\"}");
    }

    @Test
    void readsWhatItWritesAndWhatAServerSends() {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("name", "caf\u00e9 \"x\" \\ /");
        members.put("n", 9_007_199_254_740_991L);

        assertThat(FlatJson.read(FlatJson.write(members))).isEqualTo(members);
        assertThat(FlatJson.read(" { \"type\" : \"ack\", \"offset\" : 262144, \"more\": true, \"none\": null,"
                + " \"esc\": \"\\u00e9\\/\" } ")).containsEntry("type", "ack").containsEntry("offset", 262144L)
                .containsEntry("more", true).containsEntry("none", null).containsEntry("esc", "\u00e9/");
        assertThat(FlatJson.read("{}")).isEmpty();
    }

    @Test
    void refusesWhatIsNotAFlatObjectOfStringsWholeNumbersBooleansAndNull() {
        for (String bad : List.of("", "[]", "{\"a\":{}}", "{\"a\":[1]}", "{\"a\":1.5}", "{\"a\":1e3}", "{\"a\"}",
                "{\"a\":1", "{\"a\":\"x}", "{\"a\":1} x", "{\"a\":\"\\q\"}")) {
            assertThatThrownBy(() -> FlatJson.read(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void tellsAReceiptFromAControlMessage() {
        TransferReceipt receipt = new TransferReceipt("abc", 42, "0".repeat(64));

        assertThat(TransferReceipt.parse(receipt.toJson())).isEqualTo(receipt);
        assertThat(TransferReceipt.parse("{\"type\":\"ack\",\"id\":\"abc\",\"offset\":42}")).isNull();
    }
}
