/**
 * The server side of chunked transfers: {@link org.sizeguard.internal.transfer.TransferSession}, the protocol of
 * one connection; {@link org.sizeguard.internal.transfer.Transfers}, the application's transfers and their
 * server-wide limits; {@link org.sizeguard.internal.transfer.TransferStore}, where their state and bytes live
 * (locally: {@link org.sizeguard.internal.transfer.DirectoryTransferStore}).
 */
package org.sizeguard.internal.transfer;
