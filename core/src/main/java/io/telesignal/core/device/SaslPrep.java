package io.telesignal.core.device;

import io.telesignal.core.directory.InvalidPasswordException;
import java.text.Normalizer;

/**
 * RFC 4013 SASLprep for passwords, as SCRAM (RFC 5802 §2.2) requires before hashing: map non-ASCII spaces
 * to SPACE and "commonly mapped to nothing" characters to nothing (RFC 3454 B.1, C.1.2), normalize with NFKC,
 * refuse prohibited output (controls, private use, surrogates, non-characters, unassigned code points), and
 * apply the bidirectional-text check of RFC 3454 §6: a string with a right-to-left character (bidi class R or
 * AL, table D.1) holds no left-to-right one (class L, table D.2) and begins and ends with a right-to-left one.
 * Character classes come from the JDK's Unicode tables, a superset of the Unicode 3.2 that RFC 3454 froze.
 */
final class SaslPrep {
    private SaslPrep() {}

    static String prepare(char[] password) {
        StringBuilder mapped = new StringBuilder(password.length);
        String input = new String(password);
        for (int i = 0; i < input.length(); ) {
            int cp = input.codePointAt(i);
            i += Character.charCount(cp);
            if (mappedToNothing(cp)) {
                continue;
            }
            mapped.appendCodePoint(nonAsciiSpace(cp) ? ' ' : cp);
        }
        String normalized = Normalizer.normalize(mapped, Normalizer.Form.NFKC);
        for (int i = 0; i < normalized.length(); ) {
            int cp = normalized.codePointAt(i);
            i += Character.charCount(cp);
            if (prohibited(cp)) {
                throw new InvalidPasswordException("password contains a character SASLprep prohibits");
            }
        }
        checkBidi(normalized);
        return normalized;
    }

    /** RFC 3454 §6, items 2 and 3 (item 1, the C.8 characters, is part of {@link #prohibited}). */
    private static void checkBidi(String s) {
        boolean rtl = false;
        boolean ltr = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            rtl |= randAl(cp);
            ltr |= Character.getDirectionality(cp) == Character.DIRECTIONALITY_LEFT_TO_RIGHT;
        }
        if (!rtl) {
            return;
        }
        if (ltr) {
            throw new InvalidPasswordException("password mixes right-to-left and left-to-right characters (RFC 3454 §6)");
        }
        if (!randAl(s.codePointAt(0)) || !randAl(s.codePointBefore(s.length()))) {
            throw new InvalidPasswordException(
                    "a password with right-to-left characters must begin and end with one (RFC 3454 §6)");
        }
    }

    private static boolean randAl(int cp) {
        byte d = Character.getDirectionality(cp);
        return d == Character.DIRECTIONALITY_RIGHT_TO_LEFT || d == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
    }

    private static boolean mappedToNothing(int cp) {
        return cp == 0x00AD || cp == 0x034F || cp == 0x1806 || (cp >= 0x180B && cp <= 0x180D)
                || cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060
                || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF;
    }

    private static boolean nonAsciiSpace(int cp) {
        return cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F
                || cp == 0x3000;
    }

    private static boolean prohibited(int cp) {
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.PRIVATE_USE || type == Character.SURROGATE
                || type == Character.UNASSIGNED || (cp & 0xFFFE) == 0xFFFE || (cp >= 0xFDD0 && cp <= 0xFDEF)
                // RFC 3454 C.8: change display properties or deprecated
                || cp == 0x0340 || cp == 0x0341 || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E)
                || (cp >= 0x206A && cp <= 0x206F)
                // RFC 3454 C.9: tagging characters
                || cp == 0xE0001 || (cp >= 0xE0020 && cp <= 0xE007F);
    }
}
