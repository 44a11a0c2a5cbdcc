/**
 * Configuration: defaults ({@code defaults.yaml}, the documented list of every key), overlaid by the YAML file
 * given with {@code --config}, then by {@code TELESIGNAL_*} environment variables, then by command-line flags;
 * read into one immutable {@link io.telesignal.server.config.ServerConfig} and validated in one place.
 * Every problem is a {@link io.telesignal.server.config.ConfigException} naming the key.
 */
package io.telesignal.server.config;
