package io.telesignal.sip.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The parser against messages written in the spirit of RFC 4475 §3.1: each valid one exercises what a torture
 * message there exercises (folding, compact and oddly cased names, whitespace around separators, escapes, unusual
 * tokens, IPv6, transports, bodies) and must parse to the right values; each invalid one must be refused with the
 * right status.
 */
class SipParserTest {
    private final SipParser parser = new SipParser(SipLimits.DEFAULTS);

    private static byte[] crlf(String text) {
        return text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private SipMessage parse(String text) {
        return parser.parseDatagram(crlf(text));
    }

    private int refusal(String text) {
        try {
            parse(text);
            return 0;
        } catch (SipParseException e) {
            return e.status();
        }
    }

    private static final String BASE = "INVITE sip:bob@example.com SIP/2.0\n"
            + "Via: SIP/2.0/UDP host.example.com;branch=z9hG4bKabc\n"
            + "Max-Forwards: 70\n"
            + "To: <sip:bob@example.com>\n"
            + "From: <sip:alice@example.com>;tag=a1\n"
            + "Call-ID: c1@example.com\n"
            + "CSeq: 1 INVITE\n";

    /** RFC 4475 §3.1.1.1 (wsinv): folding, whitespace everywhere it may be, compact and oddly cased names. */
    @Test
    void aShortTortuousInvite() {
        SipMessage m = parse("INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0\n"
                + "TO :\n sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n\n"
                + "from   : \"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>\n  ;\n  tag = 98asjd8\n"
                + "MaX-fOrWaRdS: 0068\n"
                + "Call-ID\n : 0ha0isndaksdj@192.0.2.1\n"
                + "Content-Length   : 150\n"
                + "cseq: 0009\n  INVITE\n"
                + "Via  : SIP  /   2.0\n /UDP\n    192.0.2.2;branch=390skdjuw\n"
                + "s :\n"
                + "NewFangledHeader:   newfangled value\n continued newfangled value\n"
                + "UnknownHeaderWithUnusualValue: ;;,,;;,;\n"
                + "Content-Type: application/sdp\n"
                + "Route:\n <sip:services.example.com;lr;unknownwith=value;unknown-no-value>\n"
                + "v:  SIP  / 2.0  / TCP     spindle.example.com   ;\n  branch  =   z9hG4bK9ikj8  ,\n"
                + " SIP  /    2.0   / UDP  192.168.255.111   ; branch=\n z9hG4bK30239\n"
                + "m:\"Quoted string \\\"\\\"\" <sip:jdrosen@example.com> ; newparam =\n newvalue ;\n"
                + "  secondparam ; q = 0.33\n"
                + "\n"
                + "v=0\no=mhandley 29739 7272939 IN IP4 192.0.2.3\ns=-\nc=IN IP4 192.0.2.4\nt=0 0\n"
                + "m=audio 49217 RTP/AVP 0 12\nm=video 3227 RTP/AVP 31\na=rtpmap:31 LPC\n");
        SipRequest invite = (SipRequest) m;
        assertThat(invite.method()).isEqualTo("INVITE");
        assertThat(invite.sipUri().orElseThrow().params()).containsKey("unknownparam");
        assertThat(m.to().uri()).isEqualTo("sip:vivekg@chair-dnrc.example.com");
        assertThat(m.to().tag()).contains("1918181833n");
        assertThat(m.from().displayName()).contains("J Rosenberg \\\"");
        assertThat(m.from().tag()).contains("98asjd8");
        assertThat(m.maxForwards()).hasValue(68);
        assertThat(m.callId()).isEqualTo("0ha0isndaksdj@192.0.2.1");
        assertThat(m.cseq()).isEqualTo(new CSeq(9, "INVITE"));
        assertThat(m.vias()).extracting(Via::transport).containsExactly("UDP", "TCP", "UDP");
        assertThat(m.vias().get(1).host()).isEqualTo("spindle.example.com");
        assertThat(m.vias().get(2).branch()).contains("z9hG4bK30239");
        assertThat(m.first("Subject")).contains("");
        assertThat(m.first("NewFangledHeader")).contains("newfangled value continued newfangled value");
        assertThat(m.contacts()).singleElement().satisfies(c -> {
            assertThat(c.displayName()).contains("Quoted string \"\"");
            assertThat(c.params()).containsEntry("newparam", "newvalue").containsEntry("q", "0.33")
                    .containsKey("secondparam");
        });
        assertThat(m.bodyLength()).isEqualTo(150);
    }

    /** §3.1.1.2 (intmeth): a method that is any token, the same in the CSeq; an unusual user part. */
    @Test
    void aMethodOfUnusualTokenCharacters() {
        String method = "!interesting-Method0123456789_*+`.%indeed'~";
        SipRequest r = (SipRequest) parse(method + " sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com SIP/2.0\n"
                + "Via: SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`'~\n"
                + "To: \"BEL:\\\u0007 NUL:\\\u0000 DEL:\\\u007f\" <sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com>\n"
                + "From: token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;fromParam''~+*_!.-%=\"\u0440\u0430\u0431\u043e\u0442\u0430\u044e\u0449\u0438\u0439\";tag=_token~1'+`*%!-.\n"
                + "Call-ID: intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{\n"
                + "CSeq: 139122385 " + method + "\n"
                + "Max-Forwards: 255\n"
                + "extensionHeader-!.%*+_`'~:\uFEFF\u5927\u505C\u96FB\n"
                + "Content-Length: 0\n\n");
        assertThat(r.method()).isEqualTo(method);
        assertThat(r.cseq().method()).isEqualTo(method);
        assertThat(r.from().displayName()).contains("token1~` token2'+_ token3*%!.-");
        assertThat(r.from().tag()).contains("_token~1'+`*%!-.");
        assertThat(r.maxForwards()).hasValue(255);
    }

    /** §3.1.1.3 (esc01), §3.1.1.4 (escnull), §3.1.1.9 (semiuri): escapes in the user part, compared unescaped. */
    @Test
    void escapesAndSemicolonsInTheUserPart() {
        SipRequest esc = (SipRequest) parse(BASE.replace("INVITE sip:bob@example.com", "INVITE sip:sips%3Auser%40example.com@example.net")
                + "Content-Length: 0\n\n");
        assertThat(esc.sipUri().orElseThrow().user()).contains("sips:user@example.com");
        assertThat(esc.sipUri().orElseThrow().host()).isEqualTo("example.net");
        SipRequest nul = (SipRequest) parse(BASE.replace("sip:bob@example.com SIP", "sip:null-%00-null@example.com SIP") + "\n");
        assertThat(nul.sipUri().orElseThrow().user()).contains("null-\u0000-null");
        SipRequest semi = (SipRequest) parse(BASE.replace("sip:bob@example.com SIP", "sip:user;par=u%40example.net@example.com SIP")
                + "\n");
        assertThat(semi.sipUri().orElseThrow().user()).contains("user;par=u@example.net");
        assertThat(semi.sipUri().orElseThrow().params()).isEmpty();
    }

    /** §3.1.1.6 (lwsdisp): a display name of tokens, no space before the '<'. */
    @Test
    void anUnquotedDisplayNameRightAgainstItsUri() {
        SipMessage m = parse(BASE.replace("From: <sip:alice@example.com>;tag=a1", "From: caller<sip:caller@example.com>;tag=323")
                + "\n");
        assertThat(m.from().displayName()).contains("caller");
        assertThat(m.from().uri()).isEqualTo("sip:caller@example.com");
    }

    /** §3.1.1.7 (longreq): long values are fine within the limits. */
    @Test
    void longValuesWithinTheLimits() {
        String longToken = "very".repeat(400);
        SipMessage m = parse(BASE + "X-Long: " + longToken + "\nContact: " + String.join(", ",
                java.util.Collections.nCopies(30, "<sip:amazinglylongcallername@host5.example.net>")) + "\n\n");
        assertThat(m.first("X-Long")).contains(longToken);
        assertThat(m.contacts()).hasSize(30);
    }

    /** §3.1.1.8 (dblreq): a second message after the first's Content-Length in one datagram is dropped. */
    @Test
    void extraBytesAfterTheContentLengthOfADatagramAreDropped() {
        SipMessage m = parse(BASE + "Content-Length: 0\n\n" + BASE + "Content-Length: 0\n\n");
        assertThat(m.bodyLength()).isZero();
    }

    /** §3.1.1.10 (transports), IPv6 references (RFC 5118): any transport token, hosts in brackets. */
    @Test
    void transportsAndIpv6() {
        SipMessage m = parse("OPTIONS sip:user@[2001:db8::10]:5070;transport=tcp SIP/2.0\n"
                + "Via: SIP/2.0/SCTP t1.example.com;branch=z9hG4bKkdjuw\n"
                + "Via: SIP/2.0/TLS t2.example.com;branch=z9hG4bKklasjdhf\n"
                + "Via: SIP/2.0/UNKNOWN t3.example.com;branch=z9hG4bKasdd\n"
                + "Via: SIP/2.0/UDP [2001:db8::9:1]:5060;received=[2001:db8::9:255];branch=z9hG4bKas3\n"
                + "Max-Forwards: 70\nTo: <sip:user@example.com>\nFrom: <sip:caller@example.com>;tag=323\n"
                + "Call-ID: transports.kijh4akdnaqjkwendsasfdj\nCSeq: 60 OPTIONS\nContent-Length: 0\n\n");
        SipUri uri = ((SipRequest) m).sipUri().orElseThrow();
        assertThat(uri.host()).isEqualTo("[2001:db8::10]");
        assertThat(uri.port()).hasValue(5070);
        assertThat(uri.params()).containsEntry("transport", "tcp");
        assertThat(m.vias()).extracting(Via::transport).containsExactly("SCTP", "TLS", "UNKNOWN", "UDP");
        assertThat(m.vias().get(3).host()).isEqualTo("[2001:db8::9:1]");
        assertThat(m.vias().get(3).received()).contains("[2001:db8::9:255]");
    }

    /** §3.1.1.12, §3.1.1.13 (unreason, noreason): any UTF-8 reason phrase, or none. */
    @Test
    void reasonPhrasesOfAnyTextOrNone() {
        String response = "Via: SIP/2.0/UDP 192.0.2.198;branch=z9hG4bK1324923\nCall-ID: unreason.1234ksdfak3j2erwedfsASdf\n"
                + "CSeq: 35 INVITE\nFrom: sip:user@example.com;tag=11141343\nTo: sip:user@example.edu;tag=2229\n"
                + "Content-Length: 0\n\n";
        SipResponse unusual = (SipResponse) parse("SIP/2.0 200 = 2**3 * 5**2 \u043d\u043e \u0441\u0442\u043e"
                + " \u0434\u0435\u0432\u044f\u043d\u043e\u0441\u0442\u043e \u0434\u0435\u0432\u044f\u0442\u044c\n" + response);
        assertThat(unusual.status()).isEqualTo(200);
        assertThat(unusual.reason()).startsWith("= 2**3 * 5**2 \u043d\u043e");
        SipResponse none = (SipResponse) parse("SIP/2.0 100 \n" + response);
        assertThat(none.reason()).isEmpty();
        assertThat(none.to().tag()).contains("2229");
    }

    /** A compact-form request, the form small devices send. */
    @Test
    void compactForms() {
        SipMessage m = parse("REGISTER sip:example.com SIP/2.0\nv: SIP/2.0/UDP 192.0.2.7:5062;rport;branch=z9hG4bKx\n"
                + "f: <sip:desk@example.com>;tag=9\nt: <sip:desk@example.com>\ni: reg-1\nCSeq: 2 REGISTER\n"
                + "m: <sip:desk@192.0.2.7:5062>;expires=600\nl: 0\n\n");
        assertThat(m.headers()).extracting(Header::name).containsExactly("Via", "From", "To", "Call-ID", "CSeq",
                "Contact", "Content-Length");
        assertThat(m.vias().get(0).rport()).contains("");
        assertThat(m.contacts().get(0).params()).containsEntry("expires", "600");
    }

    @Test
    void aStarContactUnregistersAll() {
        SipMessage m = parse(BASE.replace("INVITE", "REGISTER").replace("1 REGISTER", "1 REGISTER")
                .replace("CSeq: 1 INVITE", "CSeq: 1 REGISTER") + "Contact: *\nExpires: 0\n\n");
        assertThat(m.contactIsStar()).isTrue();
        assertThat(m.contacts()).isEmpty();
    }

    /** RFC 4475 §3.1.2 in spirit: each grammar or rule broken gets its status. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "extra spaces in the request line (lwsruri)|INVITE  sip:bob@example.com SIP/2.0|400",
        "URI in angle brackets (ltgtruri)|INVITE <sip:bob@example.com> SIP/2.0|400",
        "whitespace inside the URI (lwsruri)|INVITE sip:bob@example.com;lr SIP/2.0 x|400",
        "another SIP version (badvers)|INVITE sip:bob@example.com SIP/7.0|505",
        "not SIP at all|INVITE sip:bob@example.com HTTP/1.1|400",
        "a bad escape in the URI (escruri)|INVITE sip:bob%zz@example.com SIP/2.0|400",
        "a non-token method|INV@ITE sip:bob@example.com SIP/2.0|400"})
    void badRequestLines(String why, String line, int status) {
        assertThat(refusal(line + BASE.substring(BASE.indexOf('\n')) + "\n")).isEqualTo(status);
    }

    @Test
    void brokenRules() {
        assertThat(refusal(BASE.replace("CSeq: 1 INVITE", "CSeq: 1 ACK") + "\n")).as("mismatch01").isEqualTo(400);
        assertThat(refusal(BASE + "Content-Length: 9999\n\nv=0\n")).as("clerr").isEqualTo(400);
        assertThat(refusal(BASE.replace("CSeq: 1 INVITE", "CSeq: 36893488147419103232 INVITE") + "\n"))
                .as("scalar02").isEqualTo(400);
        assertThat(refusal(BASE.replace("Max-Forwards: 70", "Max-Forwards: 300") + "\n")).as("scalarlg").isEqualTo(400);
        assertThat(refusal(BASE.replace("To: <sip:bob@example.com>", "To: \"Mr. J. User <sip:j.user@example.com>") + "\n"))
                .as("quotbal").isEqualTo(400);
        assertThat(refusal(BASE + "Call-ID: another@example.com\n\n")).as("multi01").isEqualTo(400);
        assertThat(refusal(BASE.replace("To: <sip:bob@example.com>", "To: Bell, Alexander <sip:a.g.bell@example.com>")
                + "\n")).as("baddn").isEqualTo(400);
        assertThat(refusal(BASE.replace("Call-ID: c1@example.com\n", "") + "\n")).as("insuf").isEqualTo(400);
        assertThat(refusal(BASE.replace("Via: SIP/2.0/UDP host.example.com;branch=z9hG4bKabc\n", "") + "\n"))
                .as("no Via").isEqualTo(400);
        assertThat(refusal(BASE.replace("Via: SIP/2.0/UDP", "Via: SIP/3.0/UDP") + "\n")).isEqualTo(400);
        assertThat(refusal(BASE + "Contact: <sip:a@example.com\n\n")).as("'<' without '>'").isEqualTo(400);
        assertThat(refusal(BASE + " folded before anything\n\n".replace(" folded", "Bad Name: x\n folded")))
                .as("a header name with a space").isEqualTo(400);
        assertThat(refusal(" " + BASE + "\n")).as("whitespace before the start line").isEqualTo(400);
        assertThat(refusal(BASE)).as("no blank line").isEqualTo(400);
    }

    @Test
    void limitsAreEnforced() {
        SipParser small = new SipParser(new SipLimits(2048, 10, 300));
        byte[] big = crlf(BASE + "X: " + "y".repeat(2100) + "\n\n");
        assertThatThrownBy(() -> small.parseDatagram(big)).isInstanceOfSatisfying(SipParseException.class,
                e -> assertThat(e.status()).isEqualTo(513));
        assertThatThrownBy(() -> small.parseDatagram(crlf(BASE + "X: " + "y".repeat(400) + "\n\n")))
                .isInstanceOfSatisfying(SipParseException.class, e -> assertThat(e.reason()).contains("longer than 300"));
        assertThatThrownBy(() -> small.parseDatagram(crlf(BASE + "A: 1\nB: 2\nC: 3\nD: 4\nE: 5\n\n")))
                .isInstanceOfSatisfying(SipParseException.class, e -> assertThat(e.reason()).contains("more than 10"));
    }

    @Test
    void theHeadMustBeUtf8AndStreamsNeedContentLength() {
        byte[] latin1 = (BASE.replace("\n", "\r\n") + "Subject: caf\u00e9\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> parser.parseDatagram(latin1)).isInstanceOf(SipParseException.class);
        byte[] noLength = crlf(BASE + "\nv=0\n");
        assertThatThrownBy(() -> parser.parse(noLength, 0, noLength.length, false))
                .hasMessageContaining("needs Content-Length");
        assertThat(parser.parseDatagram(noLength).bodyLength()).as("a datagram's body is the rest").isEqualTo(5);
    }

    @Test
    void leadingCrlfsAreSkippedAndEncodingRoundTrips() {
        SipMessage m = parse("\n\n" + BASE + "Content-Type: application/sdp\nContent-Length: 5\n\nv=0\n");
        byte[] wire = m.encode();
        SipMessage again = parser.parse(wire, 0, wire.length, false);
        assertThat(again.headers()).isEqualTo(m.headers());
        assertThat(again.body()).isEqualTo(m.body());
        assertThat(new String(wire, StandardCharsets.UTF_8)).startsWith("INVITE sip:bob@example.com SIP/2.0\r\nVia: ")
                .contains("\r\nContent-Length: 5\r\n\r\nv=0\r\n");
        assertThat(m.toString()).isEqualTo("SipRequest[INVITE]").doesNotContain("bob");
    }

    @Test
    void nameAddrForms() {
        assertThat(NameAddr.parse("sip:a@example.com;tag=1").params()).containsEntry("tag", "1");
        assertThat(NameAddr.parse("<sip:a@example.com;lr>;tag=1").sipUri().orElseThrow().params()).containsKey("lr");
        assertThat(NameAddr.parse("\"A \\\"B\\\" C\" <sips:a@example.com>").displayName()).contains("A \"B\" C");
        assertThat(NameAddr.parse("<tel:+1-201-555-0123>").sipUri()).isEmpty();
        assertThatThrownBy(() -> NameAddr.parse("sip:a@example.com?subject=x")).isInstanceOf(SipParseException.class);
        assertThat(Optional.of(NameAddr.parse("Anonymous <sip:c8oqz84zk7z@privacy.org>;tag=hyh8").displayName().orElseThrow()))
                .contains("Anonymous");
    }
}
