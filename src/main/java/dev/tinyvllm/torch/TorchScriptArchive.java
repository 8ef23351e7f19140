package dev.tinyvllm.torch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a TorchScript module archive (the zip that {@code torch.jit.save} produces) from Java.
 *
 * <p>DJL binds no {@code scaled_dot_product_attention} or flash kernel, but libtorch has both. A module
 * whose methods call them, written here and loaded through DJL, reaches the real kernels with no
 * Python anywhere. The archive holds only what the loader needs for a module without parameters:
 * the class source, a pickle of the module object, an empty constants table and the format version.
 */
public final class TorchScriptArchive {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private TorchScriptArchive() {}

    /**
     * Builds the archive bytes of a parameterless module.
     *
     * @param className the class name, the module is {@code __torch__.<className>}
     * @param methods the method definitions in TorchScript's serialized dialect, indented by two
     *     spaces, with {@code self: __torch__.<className>} as first parameter; aten ops without a
     *     {@code torch.} alias are written {@code ops.aten.NAME(...)}
     */
    public static byte[] write(String className, String methods) {
        if (!IDENTIFIER.matcher(className).matches()) {
            throw new IllegalArgumentException("not a TorchScript class name: " + className);
        }
        String source = "class " + className + "(Module):\n"
                + "  __parameters__ = []\n"
                + "  __buffers__ = []\n"
                + "  training : bool\n"
                + methods;
        String root = className.toLowerCase(java.util.Locale.ROOT) + "/";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            stored(zip, root + "data.pkl", modulePickle(className));
            stored(zip, root + "code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
            stored(zip, root + "constants.pkl", EMPTY_TUPLE_PICKLE);
            stored(zip, root + "version", "3\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    // Pickle protocol 2: PROTO 2, EMPTY_TUPLE, STOP.
    private static final byte[] EMPTY_TUPLE_PICKLE = {(byte) 0x80, 2, ')', '.'};

    /**
     * The module object as TorchScript's unpickler expects it: the class by its qualified name,
     * created with no arguments, its attributes set from a dict. A module without parameters has
     * one attribute, {@code training}.
     */
    private static byte[] modulePickle(String className) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80); // PROTO
        p.write(2);
        p.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII)); // GLOBAL
        p.write(')'); // EMPTY_TUPLE
        p.write(0x81); // NEWOBJ
        p.write('}'); // EMPTY_DICT
        p.write('('); // MARK
        byte[] key = "training".getBytes(StandardCharsets.UTF_8);
        p.write('X'); // BINUNICODE, 4-byte little-endian length
        p.write(key.length);
        p.write(0);
        p.write(0);
        p.write(0);
        p.writeBytes(key);
        p.write(0x89); // NEWFALSE: eval mode
        p.write('u'); // SETITEMS
        p.write('b'); // BUILD
        p.write('.'); // STOP
        return p.toByteArray();
    }

    // Stored, not deflated, the way torch.jit.save writes its entries.
    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }
}
