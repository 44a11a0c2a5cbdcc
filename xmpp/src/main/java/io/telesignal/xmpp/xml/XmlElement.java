package io.telesignal.xmpp.xml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One XML element as XMPP uses it: a name in a namespace, attributes, and children (elements and text), immutable.
 * Attributes without a namespace are keyed by their local name, {@code xml:lang} as written, any other namespaced one
 * as {@code {namespace}local}. Serialised with a default-namespace declaration wherever an element's namespace differs
 * from its parent's; the stream namespace is written with the {@code stream:} prefix its stream header declares, or,
 * serialised without a context (a WebSocket message), declares itself.
 */
public final class XmlElement {
    public static final String STREAM_NS = "http://etherx.jabber.org/streams";

    private final String name;
    private final String namespace;
    private final Map<String, String> attributes;
    private final List<Object> children;

    private XmlElement(String name, String namespace, Map<String, String> attributes, List<Object> children) {
        this.name = name;
        this.namespace = namespace;
        this.attributes = attributes;
        this.children = children;
    }

    public static Builder builder(String name, String namespace) {
        return new Builder(name, namespace);
    }

    /** An element with no attributes or children. */
    public static XmlElement empty(String name, String namespace) {
        return builder(name, namespace).build();
    }

    public String name() {
        return name;
    }

    /** The namespace, {@code ""} when none. */
    public String namespace() {
        return namespace;
    }

    public boolean is(String name, String namespace) {
        return this.name.equals(name) && this.namespace.equals(namespace);
    }

    /** The attribute's value, {@code null} when absent. */
    public String attr(String key) {
        return attributes.get(key);
    }

    public Map<String, String> attributes() {
        return Collections.unmodifiableMap(attributes);
    }

    /** Children in document order: {@link XmlElement}s and {@link String} text. */
    public List<Object> children() {
        return Collections.unmodifiableList(children);
    }

    public List<XmlElement> elements() {
        List<XmlElement> elements = new ArrayList<>();
        for (Object child : children) {
            if (child instanceof XmlElement element) {
                elements.add(element);
            }
        }
        return elements;
    }

    /** The first child element with this name and namespace. */
    public Optional<XmlElement> child(String name, String namespace) {
        for (Object child : children) {
            if (child instanceof XmlElement element && element.is(name, namespace)) {
                return Optional.of(element);
            }
        }
        return Optional.empty();
    }

    /** The first child element in this namespace, whatever its name. */
    public Optional<XmlElement> childIn(String namespace) {
        for (Object child : children) {
            if (child instanceof XmlElement element && element.namespace.equals(namespace)) {
                return Optional.of(element);
            }
        }
        return Optional.empty();
    }

    /** The direct text children, concatenated. */
    public String text() {
        StringBuilder text = new StringBuilder();
        for (Object child : children) {
            if (child instanceof String s) {
                text.append(s);
            }
        }
        return text.toString();
    }

    /** A copy with {@code key} set to {@code value}, or removed when {@code value} is null. */
    public XmlElement with(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(attributes);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        return new XmlElement(name, namespace, copy, children);
    }

    /** A copy without the child elements of this name and namespace. */
    public XmlElement without(String name, String namespace) {
        List<Object> kept = new ArrayList<>(children.size());
        for (Object child : children) {
            if (!(child instanceof XmlElement element && element.is(name, namespace))) {
                kept.add(child);
            }
        }
        return new XmlElement(this.name, this.namespace, attributes, kept);
    }

    /** A copy in another namespace, its children unchanged (a stanza moving between content namespaces). */
    public XmlElement inNamespace(String namespace) {
        return new XmlElement(name, namespace, attributes, children);
    }

    public Builder toBuilder() {
        Builder builder = new Builder(name, namespace);
        builder.attributes.putAll(attributes);
        builder.children.addAll(children);
        return builder;
    }

    /** The element as XML, declaring its namespace unless it is {@code contextNamespace}. */
    public String toXml(String contextNamespace) {
        StringBuilder out = new StringBuilder(128);
        write(out, contextNamespace);
        return out.toString();
    }

    public String toXml() {
        return toXml("");
    }

    void write(StringBuilder out, String context) {
        String tag = namespace.equals(STREAM_NS) ? "stream:" + name : name;
        out.append('<').append(tag);
        String inner = context;
        if (!namespace.equals(STREAM_NS) && !namespace.equals(context)) {
            out.append(" xmlns=\"");
            escape(out, namespace, true);
            out.append('"');
            inner = namespace;
        } else if (namespace.equals(STREAM_NS) && context.isEmpty()) {
            // outside a stream header that declares it (RFC 7395 framing): the prefix is declared here
            out.append(" xmlns:stream=\"").append(STREAM_NS).append('"');
        }
        int prefixes = 0;
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            String key = attribute.getKey();
            out.append(' ');
            if (key.startsWith("{")) {
                int close = key.indexOf('}');
                String prefix = "a" + prefixes++;
                out.append("xmlns:").append(prefix).append("=\"");
                escape(out, key.substring(1, close), true);
                out.append("\" ").append(prefix).append(':').append(key, close + 1, key.length());
            } else {
                out.append(key);
            }
            out.append("=\"");
            escape(out, attribute.getValue(), true);
            out.append('"');
        }
        if (children.isEmpty()) {
            out.append("/>");
            return;
        }
        out.append('>');
        for (Object child : children) {
            if (child instanceof XmlElement element) {
                element.write(out, inner);
            } else {
                escape(out, (String) child, false);
            }
        }
        out.append("</").append(tag).append('>');
    }

    /**
     * XML escaping for text ({@code &}, {@code <}, {@code >}, a carriage return) and, in attributes, quotes and
     * whitespace too, so that what is written parses back to the same value.
     */
    public static void escape(StringBuilder out, String text, boolean attribute) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append(attribute ? "&quot;" : "\"");
                case '\'' -> out.append(attribute ? "&apos;" : "'");
                // kept as they are: a parser normalises raw line ends, and raw whitespace in an attribute to spaces
                case '\r' -> out.append("&#13;");
                case '\n' -> out.append(attribute ? "&#10;" : "\n");
                case '\t' -> out.append(attribute ? "&#9;" : "\t");
                default -> out.append(c);
            }
        }
    }

    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        escape(out, text, true);
        return out.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof XmlElement that && name.equals(that.name) && namespace.equals(that.namespace)
                && attributes.equals(that.attributes) && children.equals(that.children);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, namespace, attributes, children);
    }

    /** Element names only: never the text or attribute values, which may be patient data. */
    @Override
    public String toString() {
        return "XmlElement[" + name + " " + namespace + "]";
    }

    public static final class Builder {
        private final String name;
        private final String namespace;
        private final Map<String, String> attributes = new LinkedHashMap<>();
        private final List<Object> children = new ArrayList<>();

        private Builder(String name, String namespace) {
            this.name = Objects.requireNonNull(name, "name");
            this.namespace = Objects.requireNonNull(namespace, "namespace");
        }

        /** Sets an attribute; a null value leaves it out. */
        public Builder attr(String key, String value) {
            if (value != null) {
                attributes.put(key, value);
            }
            return this;
        }

        public Builder add(XmlElement child) {
            children.add(Objects.requireNonNull(child, "child"));
            return this;
        }

        public Builder add(String name, String namespace) {
            return add(empty(name, namespace));
        }

        /** Adds text; adjacent text is merged. */
        public Builder text(String text) {
            if (text.isEmpty()) {
                return this;
            }
            int last = children.size() - 1;
            if (last >= 0 && children.get(last) instanceof String previous) {
                children.set(last, previous + text);
            } else {
                children.add(text);
            }
            return this;
        }

        /** Adds a child element holding only {@code text}. */
        public Builder textChild(String name, String namespace, String text) {
            return add(builder(name, namespace).text(text).build());
        }

        public XmlElement build() {
            return new XmlElement(name, namespace, new LinkedHashMap<>(attributes), new ArrayList<>(children));
        }
    }
}
