package dev.wiz.io;

/**
 * The fingerprint of one input.
 *
 * @param name as the user named it ({@code stdin} for standard input)
 * @param path absolute path, or {@code null} for standard input
 * @param size bytes, or -1 when unknown
 * @param modified last modification in epoch milliseconds, or -1 when unknown
 */
public record InputFile(String name, String path, long size, long modified) {}
