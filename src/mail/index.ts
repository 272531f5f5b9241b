// Facade of the mail layer: documents -> lines, messages, MIME bodies, headers (pure, synchronous).
export { splitLines, quotePrefix, looksLikeC, looksLikeProse, isSpace, decodeEntities, FOOTER, type QuotePrefix } from './text';
export { readHeaderBlock, headerValue, decodeHeader, parsePatchPrefix, TRAILER, type HeaderBlock, type HeaderField, type PatchPrefix } from './headers';
export { decodeBody, needsDecoding, contentType, htmlToText, MAX_MIME_DEPTH, type BodyLine, type UndecodedPart, type PartNote } from './mime';
export { splitMessages, MBOX_SEPARATOR, type MessageSpan, type MessageKind } from './messages';
export { readPatchworkJson, type JsonPatch } from './patchworkJson';
