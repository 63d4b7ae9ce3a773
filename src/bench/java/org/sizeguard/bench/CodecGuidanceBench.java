package org.sizeguard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import com.google.protobuf.Message;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.StructureLimits;
import org.sizeguard.codec.Inflation;
import org.sizeguard.codec.InflatingDecoder;
import org.sizeguard.codec.JsonDecoder;
import org.sizeguard.codec.JsonEncoder;
import org.sizeguard.codec.MessagePackDecoder;
import org.sizeguard.codec.MessagePackEncoder;
import org.sizeguard.codec.ProtobufDecoder;

/**
 * "When a format gets you under the limit": for three realistic payloads, the bytes on the wire as JSON, as
 * MessagePack, as Protocol Buffers (schema in {@code src/test/proto/codec_guidance.proto}) and as deflated JSON (what
 * permessage-deflate would send, level 6), and how fast Sizeguard's bounded decoders read each (deflated JSON:
 * inflate, then the JSON decoder). No server is needed; it runs once per bench
 * run (with the Payara execution) and writes {@code target/bench/codecs.md}.
 */
@EnabledIfSystemProperty(named = "arquillian.launch", matches = "payara-micro",
        disabledReason = "needs no server: it runs once, with the Payara Micro bench execution")
class CodecGuidanceBench {

    private static final MessageSizePolicy GENEROUS = new MessageSizePolicy("bench", 64L << 20, 64L << 20,
            64L << 20, 64L << 20, Duration.ZERO, new StructureLimits(64, 10_000_000, 64L << 20));
    private static final Duration MEASURE = Duration.ofSeconds(3);

    /** One analytics event. */
    public static class Event {
        public String id;
        public long timestamp;
        public String type;
        public long userId;
        public String page;
        public int x;
        public int y;
        public boolean converted;
    }

    /** A batch of events, as a tracking client sends them. */
    public static class EventBatch {
        public String source;
        public List<Event> events;
    }

    /** A section of a document. */
    public static class Section {
        public String heading;
        public String text;
    }

    /** A document with prose. */
    public static class Document {
        public String title;
        public String author;
        public List<String> tags;
        public List<Section> sections;
    }

    /** A series of sensor readings. */
    public static class Samples {
        public String sensor;
        public long start;
        public double[] values;
    }

    public static class EventBatchJson extends JsonDecoder<EventBatch> {
        public EventBatchJson() {
            super(GENEROUS);
        }
    }

    public static class DocumentJson extends JsonDecoder<Document> {
        public DocumentJson() {
            super(GENEROUS);
        }
    }

    public static class SamplesJson extends JsonDecoder<Samples> {
        public SamplesJson() {
            super(GENEROUS);
        }
    }

    public static class EventBatchPack extends MessagePackDecoder<EventBatch> {
        public EventBatchPack() {
            super(GENEROUS);
        }
    }

    public static class DocumentPack extends MessagePackDecoder<Document> {
        public DocumentPack() {
            super(GENEROUS);
        }
    }

    public static class SamplesPack extends MessagePackDecoder<Samples> {
        public SamplesPack() {
            super(GENEROUS);
        }
    }

    public static class EventBatchJsonOut extends JsonEncoder<EventBatch> {
    }

    public static class DocumentJsonOut extends JsonEncoder<Document> {
    }

    public static class SamplesJsonOut extends JsonEncoder<Samples> {
    }

    public static class EventBatchPackOut extends MessagePackEncoder<EventBatch> {
    }

    public static class DocumentPackOut extends MessagePackEncoder<Document> {
    }

    public static class SamplesPackOut extends MessagePackEncoder<Samples> {
    }

    public static class EventBatchProto extends ProtobufDecoder<org.sizeguard.testproto.EventBatch> {
        public EventBatchProto() {
            super(GENEROUS);
        }
    }

    public static class DocumentProto extends ProtobufDecoder<org.sizeguard.testproto.Document> {
        public DocumentProto() {
            super(GENEROUS);
        }
    }

    public static class SamplesProto extends ProtobufDecoder<org.sizeguard.testproto.Samples> {
        public SamplesProto() {
            super(GENEROUS);
        }
    }

    /** The codecs of one payload type, and its Protocol Buffers form. */
    record Codecs<T>(Supplier<JsonEncoder<T>> jsonOut, Supplier<MessagePackEncoder<T>> packOut,
            Supplier<JsonDecoder<T>> jsonIn, Supplier<MessagePackDecoder<T>> packIn, Function<T, Message> proto,
            Supplier<? extends ProtobufDecoder<?>> protoIn) {
    }

    static Message proto(EventBatch batch) {
        org.sizeguard.testproto.EventBatch.Builder proto = org.sizeguard.testproto.EventBatch.newBuilder()
                .setSource(batch.source);
        for (Event event : batch.events) {
            proto.addEvents(org.sizeguard.testproto.Event.newBuilder().setId(event.id).setTimestamp(event.timestamp)
                    .setType(event.type).setUserId(event.userId).setPage(event.page).setX(event.x).setY(event.y)
                    .setConverted(event.converted));
        }
        return proto.build();
    }

    static Message proto(Document document) {
        org.sizeguard.testproto.Document.Builder proto = org.sizeguard.testproto.Document.newBuilder()
                .setTitle(document.title).setAuthor(document.author).addAllTags(document.tags);
        for (Section section : document.sections) {
            proto.addSections(org.sizeguard.testproto.Section.newBuilder().setHeading(section.heading)
                    .setText(section.text));
        }
        return proto.build();
    }

    static Message proto(Samples samples) {
        org.sizeguard.testproto.Samples.Builder proto = org.sizeguard.testproto.Samples.newBuilder()
                .setSensor(samples.sensor).setStart(samples.start);
        for (double value : samples.values) {
            proto.addValues(value);
        }
        return proto.build();
    }

    static EventBatch eventBatch() {
        EventBatch batch = new EventBatch();
        batch.source = "web-shop-frontend";
        batch.events = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            Event event = new Event();
            event.id = String.format(Locale.ROOT, "evt-%08x-%04x", i * 2654435761L & 0xffffffffL, i);
            event.timestamp = 1_795_600_000_000L + i * 137L;
            event.type = i % 3 == 0 ? "click" : i % 3 == 1 ? "view" : "scroll";
            event.userId = 10_000 + i % 40;
            event.page = "/products/" + (1000 + i % 25) + "?ref=search";
            event.x = i * 7 % 1920;
            event.y = i * 13 % 1080;
            event.converted = i % 17 == 0;
            batch.events.add(event);
        }
        return batch;
    }

    static Document document() {
        Document document = new Document();
        document.title = "Grundlagen der Nachrichtengrößen — une introduction";
        document.author = "Sizeguard";
        document.tags = List.of("websocket", "limits", "münchen", "café", "1009");
        document.sections = new ArrayList<>();
        String sentence = "Eine Nachricht, die größer ist als ihr Limit, beendet die Sitzung mit 1009; "
                + "le serveur ne lit pas plus loin que nécessaire. ";
        for (int i = 0; i < 40; i++) {
            Section section = new Section();
            section.heading = "Abschnitt " + (i + 1);
            section.text = sentence.repeat(6);
            document.sections.add(section);
        }
        return document;
    }

    static Samples samples() {
        Samples samples = new Samples();
        samples.sensor = "temperature-hall-3";
        samples.start = 1_795_600_000_000L;
        samples.values = new double[5000];
        for (int i = 0; i < samples.values.length; i++) {
            samples.values[i] = Math.round((21.5 + Math.sin(i / 50.0) * 3 + (i % 7) * 0.01) * 1000) / 1000.0;
        }
        return samples;
    }

    @Test
    void measuresWireSizesAndDecodeThroughputOfJsonMessagePackAndDeflatedJson() throws Exception {
        List<String> rows = new ArrayList<>();
        rows.add(row("event batch (500 events)", eventBatch(), new Codecs<>(EventBatchJsonOut::new,
                EventBatchPackOut::new, EventBatchJson::new, EventBatchPack::new, CodecGuidanceBench::proto,
                EventBatchProto::new)));
        rows.add(row("document with text (40 sections, non-ASCII)", document(), new Codecs<>(DocumentJsonOut::new,
                DocumentPackOut::new, DocumentJson::new, DocumentPack::new, CodecGuidanceBench::proto,
                DocumentProto::new)));
        rows.add(row("numeric array (5,000 doubles)", samples(), new Codecs<>(SamplesJsonOut::new,
                SamplesPackOut::new, SamplesJson::new, SamplesPack::new, CodecGuidanceBench::proto,
                SamplesProto::new)));

        StringBuilder table = new StringBuilder();
        table.append("| payload | JSON bytes | MessagePack bytes (÷ JSON) | Protocol Buffers bytes (÷ JSON) | "
                + "deflated JSON bytes (÷ JSON) | decode JSON | decode MessagePack | decode Protocol Buffers | "
                + "inflate + decode JSON (InflatingDecoder) |\n");
        table.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        rows.forEach(table::append);
        String report = "### Codec guidance: JSON, MessagePack, Protocol Buffers and deflated JSON\n\nMeasured by `CodecGuidanceBench` ("
                + "`mvn verify -Pbench`) on one JVM, " + MEASURE.toSeconds() + " s per decoder after a warm-up; "
                + "throughput in messages per second and MB of wire bytes per second. Deflate is level 6 per message, "
                + "as permessage-deflate without context takeover sends it (plus a 6-byte zlib wrapper here).\n\n"
                + table;
        Path out = Path.of("target", "bench", "codecs.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
        assertThat(rows).hasSize(3);
    }

    private <T> String row(String name, T payload, Codecs<T> codecs) throws Exception {
        JsonEncoder<T> jsonEncoder = codecs.jsonOut().get();
        jsonEncoder.init(null);
        MessagePackEncoder<T> packEncoder = codecs.packOut().get();
        packEncoder.init(null);
        byte[] jsonBytes = jsonEncoder.encode(payload).getBytes(StandardCharsets.UTF_8);
        ByteBuffer packed = packEncoder.encode(payload);
        byte[] packBytes = new byte[packed.remaining()];
        packed.get(packBytes);
        byte[] deflated = deflate(jsonBytes);
        Message protoMessage = codecs.proto().apply(payload);
        byte[] protoBytes = protoMessage.toByteArray();

        JsonDecoder<T> jsonDecoder = codecs.jsonIn().get();
        jsonDecoder.init(null);
        MessagePackDecoder<T> packDecoder = codecs.packIn().get();
        packDecoder.init(null);
        // Both decoders must read what the encoders wrote before their speed means anything.
        assertThat(jsonEncoder.encode(jsonDecoder.decode(new StringReader(new String(jsonBytes, StandardCharsets.UTF_8)))))
                .isEqualTo(new String(jsonBytes, StandardCharsets.UTF_8));
        assertThat(jsonEncoder.encode(packDecoder.decode(ByteBuffer.wrap(packBytes))))
                .isEqualTo(new String(jsonBytes, StandardCharsets.UTF_8));
        ProtobufDecoder<?> protoDecoder = codecs.protoIn().get();
        protoDecoder.init(null);
        assertThat(protoDecoder.decode(ByteBuffer.wrap(protoBytes))).isEqualTo(protoMessage);

        double jsonRate = rate(() -> jsonDecoder.decode(new StringReader(new String(jsonBytes, StandardCharsets.UTF_8))));
        double packRate = rate(() -> packDecoder.decode(ByteBuffer.wrap(packBytes)));
        double protoRate = rate(() -> protoDecoder.decode(ByteBuffer.wrap(protoBytes)));
        // Sizeguard's bounded path for compressed payloads: InflatingDecoder around the same JSON decoder.
        InflatingDecoder<T> inflating = new InflatingDecoder<T>(Inflation.ZLIB, policy -> codecs.jsonIn().get(),
                GENEROUS) {};
        inflating.init(null);
        assertThat(jsonEncoder.encode(inflating.decode(ByteBuffer.wrap(deflated))))
                .isEqualTo(new String(jsonBytes, StandardCharsets.UTF_8));
        double inflateRate = rate(() -> inflating.decode(ByteBuffer.wrap(deflated)));
        return String.format(Locale.ROOT, "| %s | %,d | %,d (%.2f) | %,d (%.2f) | %,d (%.2f) | %,.0f/s (%.1f MB/s)"
                + " | %,.0f/s (%.1f MB/s) | %,.0f/s (%.1f MB/s) | %,.0f/s (%.1f MB/s) |%n", name, jsonBytes.length,
                packBytes.length, packBytes.length / (double) jsonBytes.length, protoBytes.length,
                protoBytes.length / (double) jsonBytes.length, deflated.length,
                deflated.length / (double) jsonBytes.length, jsonRate, jsonRate * jsonBytes.length / 1e6, packRate,
                packRate * packBytes.length / 1e6, protoRate, protoRate * protoBytes.length / 1e6, inflateRate,
                inflateRate * deflated.length / 1e6);
    }

    /** Level 6 deflate in a zlib wrapper (6 bytes more than the raw deflate permessage-deflate sends). */
    private static byte[] deflate(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflater = new DeflaterOutputStream(out, new Deflater(6))) {
            deflater.write(bytes);
        }
        return out.toByteArray();
    }

    @FunctionalInterface
    private interface Decoding {
        Object run() throws Exception;
    }

    /** Messages per second over {@link #MEASURE}, after a warm-up of the same length. */
    private static double rate(Decoding decoding) throws Exception {
        for (long end = System.nanoTime() + MEASURE.toNanos(); System.nanoTime() < end; ) {
            decoding.run();
        }
        long count = 0;
        long start = System.nanoTime();
        long end = start + MEASURE.toNanos();
        long now = start;
        while (now < end) {
            if (decoding.run() == null) {
                throw new AssertionError("a decoder returned null");
            }
            count++;
            now = System.nanoTime();
        }
        return count / ((now - start) / 1e9);
    }
}
