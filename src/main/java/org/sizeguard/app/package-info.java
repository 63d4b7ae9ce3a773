/**
 * This WAR's own endpoints ({@code /echo}, {@code /json}, {@code /msgpack}, {@code /protobuf}, {@code /upload}), the
 * {@code /limits} and {@code /stats} servlets, and the {@code ServerApplicationConfig} that leaves every endpoint to
 * Sizeguard. Not in the core jar; uses the API and the codecs only. {@code org.sizeguard.app.proto} is generated
 * from {@code src/main/proto}.
 */
package org.sizeguard.app;
