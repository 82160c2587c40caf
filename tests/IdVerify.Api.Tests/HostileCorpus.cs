using System.Net;
using System.Net.Http.Headers;
using System.Text;
using IdVerify.Tests;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;

namespace IdVerify.Api.Tests;

/// <summary>One hostile request and the answer the service documents for it (README, error codes).</summary>
/// <param name="Build">the request, given an enrolled subject (so a verify fails on its input, not on the subject).</param>
public sealed record HostileCase(string Name, int Status, string Code, Func<string, HttpRequestMessage> Build)
{
    public override string ToString() => Name;
}

/// <summary>
/// The hostile corpus: every input an attacker sent to the landed service, and the families around them, built at test
/// time (synthetic pictures, hand-written headers, mutants of a real photo read from ../shared/faces). Images go to
/// /v1/verify as a multipart file unless the name says JSON; requests are sent as named.
/// </summary>
public static class HostileCorpus
{
    private const string RealPhoto = "azure_face_samples/Family1-Dad2.jpg";

    /// <summary>Well-formed (32 hex digits) but never issued: a request must fail on its other fields first.</summary>
    private const string SomeChallenge = "0123456789abcdef0123456789abcdef";

    private static readonly Lazy<IReadOnlyDictionary<string, HostileCase>> Cases = new(() => Build().ToDictionary(c => c.Name));

    public static IReadOnlyDictionary<string, HostileCase> All => Cases.Value;

    public static TheoryData<string> Names
    {
        get
        {
            var names = new TheoryData<string>();
            foreach (var name in All.Keys)
            {
                names.Add(name);
            }

            return names;
        }
    }

    private static IEnumerable<HostileCase> Build()
    {
        const string tooLarge = "image_too_large", unreadable = "image_unreadable", unsupported = "unsupported_format", noFace = "no_face";
        const string invalid = "invalid_request", badSubject = "invalid_subject_id", missing = "image_missing", tooMany = "too_many_images";

        // Decompression bombs, huge declared canvases, frame floods.
        yield return Image("bomb: png 60000x60000", 413, tooLarge, () => BadImages.PixelBomb(60_000, 60_000));
        yield return Image("bomb: png 6000x6600 in 92 bytes", 413, tooLarge, () => BadImages.PixelBomb(6000, 6600));
        yield return Image("bomb: gif 6000x6600 in 35 bytes", 413, tooLarge, () => HostileImages.Gif(6000, 6600, 1, 6000, 6600));
        yield return Image("bomb: jpeg SOF claims 65500x65500", 413, tooLarge, () => HostileImages.JpegClaiming(65_500, 65_500));
        yield return Image("bomb: jpeg SOF claims 6000x6600", 413, tooLarge, () => HostileImages.JpegClaiming(6000, 6600));
        yield return Image("bomb: webp VP8L claims 16384x16384", 413, tooLarge, HostileImages.WebpClaimingMaximum);
        yield return Image("bomb: bmp RLE8 claims 6000x6600", 413, tooLarge, () => HostileImages.RleBmpClaiming(6000, 6600));
        yield return Image("bomb: flat png 2400x2000", 413, tooLarge, () => HostileImages.Blank(2400, 2000));
        yield return Image("bomb: gif of 100,000 frames", 413, tooLarge, () => HostileImages.Gif(1, 1, 100_000));
        yield return Image("bomb: gif of 101 frames", 413, tooLarge, () => HostileImages.Gif(1, 1, 101));
        yield return Image("bomb: 11 MB upload", 413, tooLarge, () => new byte[11 * 1024 * 1024]);
        yield return Image("bomb: gif frame 65535x65535 on a 16x16 screen", 422, noFace, () => HostileImages.Gif(16, 16, 1, 65_535, 65_535));
        yield return Image("bomb: animated webp", 415, unsupported, () => BadImages.AnimatedWebp(frames: 5));

        // Odd but valid: these decode, and have no face.
        yield return Image("odd: cmyk jpeg", 422, noFace, () => HostileImages.Encode(new JpegEncoder { ColorType = JpegColorType.Cmyk }));
        yield return Image("odd: grayscale jpeg", 422, noFace, () => HostileImages.Encode(new JpegEncoder { ColorType = JpegColorType.Luminance }));
        yield return Image("odd: 16-bit rgb png", 422, noFace, () => HostileImages.Png16(gray: false));
        yield return Image("odd: 16-bit grayscale png", 422, noFace, () => HostileImages.Png16(gray: true));
        yield return Image("odd: 1-bit palette png", 422, noFace, () => HostileImages.Encode(new PngEncoder { ColorType = PngColorType.Palette, BitDepth = PngBitDepth.Bit1 }));
        yield return Image("odd: interlaced png", 422, noFace, () => HostileImages.Encode(new PngEncoder { InterlaceMethod = PngInterlaceMode.Adam7 }));
        yield return Image("odd: 1-bit bmp", 422, noFace, () => HostileImages.Encode(new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel1 }));
        yield return Image("odd: 1x1 png", 422, noFace, () => HostileImages.Blank(1, 1));
        yield return Image("odd: 1x20000 png", 422, noFace, () => HostileImages.Blank(1, 20_000));
        yield return Image("odd: 20000x1 png", 422, noFace, () => HostileImages.Blank(20_000, 1));
        yield return Image("odd: gif of 100 frames", 422, noFace, () => HostileImages.Gif(1, 1, 100));

        // EXIF.
        yield return Image("exif: orientation 0", 422, noFace, () => HostileImages.ExifOrientation(0));
        yield return Image("exif: orientation 9", 422, noFace, () => HostileImages.ExifOrientation(9));
        yield return Image("exif: orientation 255", 422, noFace, () => HostileImages.ExifOrientation(255));
        yield return Image("exif: orientation 6", 422, noFace, () => HostileImages.ExifOrientation(6));
        yield return Image("exif: IFD loop", 400, unreadable, HostileImages.ExifIfdLoop);
        yield return Image("exif: GPS IFD loop", 400, unreadable, HostileImages.ExifGpsLoop);
        yield return Image("exif: next-IFD loop", 422, noFace, HostileImages.ExifNextIfdLoop);
        yield return Image("exif: entry of 2 billion values", 422, noFace, HostileImages.ExifHugeCount);

        // Truncated: JPEG was refused already; the others decoded with grey rows.
        yield return Image("truncated: jpeg half", 400, unreadable, () => HostileImages.Cut(HostileImages.Jpeg(), 0.5));
        yield return Image("truncated: png half", 400, unreadable, () => HostileImages.Cut(HostileImages.Png(), 0.5));
        yield return Image("truncated: png 90%", 400, unreadable, () => HostileImages.Cut(HostileImages.Png(), 0.9));
        yield return Image("truncated: png missing its last byte", 400, unreadable, () => HostileImages.Png()[..^1]);
        yield return Image("truncated: webp half", 400, unreadable, () => HostileImages.Cut(HostileImages.Webp(), 0.5));
        yield return Image("truncated: real photo as webp, half", 400, unreadable, () => HostileImages.Cut(AsWebp(TestData.Read(RealPhoto)), 0.5));
        yield return Image("truncated: lossless webp half", 400, unreadable, () => HostileImages.Cut(HostileImages.Webp(lossless: true), 0.5));
        yield return Image("truncated: gif half", 400, unreadable, () => HostileImages.Cut(HostileImages.Gif(), 0.5));
        yield return Image("truncated: bmp 90%", 400, unreadable, () => HostileImages.Cut(HostileImages.Bmp(), 0.9));

        // Corrupt headers: sizes and depths that made ImageSharp throw or allocate gigabytes.
        yield return Image("corrupt: bmp biBitCount 0, 154 bytes", 400, unreadable, HostileImages.BmpWithoutBitDepth);
        yield return Image("corrupt: webp VP8 chunk of 0x7FFFFFF0", 400, unreadable, () => HostileImages.WebpWithChunkSize("VP8 ", 0x7FFFFFF0));
        yield return Image("corrupt: webp VP8L chunk of 0x7FFFFFF0", 400, unreadable, () => HostileImages.WebpWithChunkSize("VP8L", 0x7FFFFFF0, lossless: true));
        yield return Image("corrupt: webp EXIF chunk of 0x7FFFFFF0", 400, unreadable, () => HostileImages.WebpWithChunkSize("EXIF", 0x7FFFFFF0));
        yield return Image("corrupt: webp XMP chunk of 0x7FFFFFF0", 400, unreadable, () => HostileImages.WebpWithChunkSize("XMP ", 0x7FFFFFF0));
        yield return Image("corrupt: webp RIFF size 0", 400, unreadable, () => { var w = HostileImages.Webp(); w[4] = w[5] = w[6] = w[7] = 0; return w; });
        yield return Image("corrupt: png IDAT of 2 GB", 400, unreadable, HostileImages.PngWithHugeChunk);

        // Formats the service does not take.
        yield return Image("format: tiff", 415, unsupported, HostileImages.Tiff);
        yield return Image("format: heic", 415, unsupported, HostileImages.Heic);
        yield return Image("format: svg", 415, unsupported, HostileImages.Svg);
        yield return Image("format: pdf", 415, unsupported, HostileImages.Pdf);
        yield return Image("format: tga", 415, unsupported, HostileImages.Tga);
        yield return Image("format: text", 415, unsupported, () => "just text, not a photo"u8.ToArray());
        yield return Image("format: 1 KB of zeros", 415, unsupported, () => new byte[1024]);

        // Polyglots.
        yield return Image("polyglot: jpeg then zip", 422, noFace, HostileImages.JpegThenZip);
        yield return Image("polyglot: pdf then jpeg", 415, unsupported, HostileImages.PdfThenJpeg);
        yield return Image("polyglot: gif header opening a script", 400, unreadable, HostileImages.GifScript);
        yield return Image("polyglot: png signature then jpeg", 400, unreadable, HostileImages.PngSignatureThenJpeg);
        yield return Image("polyglot: png with html in a text chunk", 422, noFace, HostileImages.PngWithHtml);

        // The fuzzer's mutants: one length or header byte of a real photo (JPEG) or a synthetic file changed; each was a 500.
        var realSegments = new (byte Marker, string Label, Func<byte, byte> Change)[]
        {
            (0xE1, "APP1 length -2", b => (byte)(b - 2)), (0xE1, "APP1 length low byte 00", _ => 0), (0xE1, "APP1 length low byte 02", _ => 2),
            (0xED, "APP13 length low byte 00", _ => 0), (0xED, "APP13 length low byte 02", _ => 2),
            (0xE2, "APP2 length +1", b => (byte)(b + 1)), (0xE2, "APP2 length +3", b => (byte)(b + 3)), (0xE2, "APP2 length low byte 7F", _ => 0x7F),
            (0xEE, "APP14 length -3", b => (byte)(b - 3)), (0xEE, "APP14 length -1", b => (byte)(b - 1)), (0xEE, "APP14 length +1", b => (byte)(b + 1)),
            (0xEE, "APP14 length +3", b => (byte)(b + 3)), (0xEE, "APP14 length low byte FF", _ => 0xFF),
        };
        foreach (var (marker, label, change) in realSegments)
        {
            yield return Image($"mutant: real jpeg, {label}", 400, unreadable, () => HostileImages.JpegWithSegmentLength(TestData.Read(RealPhoto), marker, change));
        }

        foreach (var (marker, delta) in new (byte, int)[] { (0xE0, -1), (0xE0, 1), (0xE1, -3), (0xE1, 3) })
        {
            yield return Image($"mutant: exif jpeg, FF{marker:X2} length {delta:+0;-0}", 400, unreadable,
                () => HostileImages.JpegWithSegmentLength(HostileImages.JpegWithExifProfile(), marker, b => (byte)(b + delta)));
        }

        yield return Image("mutant: bmp byte 28 = 00", 400, unreadable, () => HostileImages.BmpWithByte(28, 0x00));
        yield return Image("mutant: bmp byte 29 = FF", 400, unreadable, () => HostileImages.BmpWithByte(29, 0xFF));
        yield return Image("mutant: bmp byte 29 = 80", 400, unreadable, () => HostileImages.BmpWithByte(29, 0x80));
        yield return Image("mutant: webp VP8 chunk size 1", 400, unreadable, () => HostileImages.WebpWithChunkSize("VP8 ", 1));

        // JSON bodies.
        yield return Json("json: images [null]", 400, invalid, "/v1/enroll", s => $$"""{"subjectId":"{{s}}","images":[null]}""");
        yield return Json("json: frames [null]", 400, invalid, "/v1/verify", s => $$"""{"subjectId":"{{s}}","challengeId":"{{SomeChallenge}}","frames":[null,null,null]}""");
        yield return Json("json: image null", 400, missing, "/v1/verify", s => $$"""{"subjectId":"{{s}}","image":null}""");
        yield return Json("json: images [\"\"]", 400, missing, "/v1/enroll", s => $$"""{"subjectId":"{{s}}","images":[""]}""");
        yield return Json("json: six images", 400, tooMany, "/v1/enroll", s => $$"""{"subjectId":"{{s}}","images":[{{string.Join(",", Enumerable.Repeat("\"AAAA\"", 6))}}]}""");
        yield return Json("json: duplicate subjectId", 400, invalid, "/v1/verify", s => $$"""{"subjectId":"{{s}}","subjectId":"victim","image":"{{B64()}}"}""");
        yield return Json("json: duplicate subjectId in another case", 400, invalid, "/v1/verify", s => $$"""{"subjectId":"{{s}}","SubjectId":"victim","image":"{{B64()}}"}""");
        yield return Json("json: duplicate challengeId", 400, invalid, "/v1/verify",
            s => $$"""{"subjectId":"{{s}}","challengeId":"{{SomeChallenge}}","challengeId":"{{SomeChallenge[..^1]}}0","frames":["AAAA"]}""");
        yield return Json("json: duplicate fmrTarget", 400, invalid, "/v1/verify", s => $$"""{"subjectId":"{{s}}","fmrTarget":0.001,"fmrTarget":0.01,"image":"{{B64()}}"}""");
        yield return Json("json: duplicate images", 400, invalid, "/v1/enroll", s => $$"""{"subjectId":"{{s}}","images":["AAAA"],"images":["AAAA"]}""");
        yield return Json("json: subjectId with a trailing newline", 400, badSubject, "/v1/enroll", _ => $$"""{"subjectId":"victim\n","images":["{{B64()}}"]}""");
        yield return Json("json: subjectId with NUL", 400, badSubject, "/v1/enroll", _ => $$"""{"subjectId":"vic\u0000tim","images":["{{B64()}}"]}""");
        yield return Json("json: subjectId with Cyrillic letters", 400, badSubject, "/v1/enroll", _ => $$"""{"subjectId":"v\u0456\u0441tim","images":["{{B64()}}"]}""");
        yield return Json("json: subjectId of 1 MB", 400, badSubject, "/v1/enroll", _ => $$"""{"subjectId":"{{new string('a', 1 << 20)}}","images":["{{B64()}}"]}""");
        yield return Json("json: challengeId of 1 MB", 400, invalid, "/v1/verify", s => $$"""{"subjectId":"{{s}}","challengeId":"{{new string('a', 1 << 20)}}","frames":["{{B64()}}"]}""");
        yield return Json("json: challengeId with a newline", 400, invalid, "/v1/verify", s => $$"""{"subjectId":"{{s}}","challengeId":"{{SomeChallenge}}\n","frames":["{{B64()}}"]}""");
        yield return Json("json: 10,000 nested arrays", 400, invalid, "/v1/verify", s => $$"""{"subjectId":"{{s}}","x":{{new string('[', 10_000)}}{{new string(']', 10_000)}}}""");
        yield return Json("json: top-level array", 400, invalid, "/v1/verify", _ => "[1,2,3]");
        yield return Json("json: empty body", 400, invalid, "/v1/verify", _ => "");
        yield return Json("json: null", 400, invalid, "/v1/verify", _ => "null");
        yield return Json("json: image is a number", 400, invalid, "/v1/verify", s => $$"""{"subjectId":"{{s}}","image":12345}""");
        yield return Json("json: images is an object", 400, invalid, "/v1/enroll", s => $$"""{"subjectId":"{{s}}","images":{"a":"AAAA"} }""");
        yield return Json("json: subjectId is an object", 400, invalid, "/v1/verify", _ => $$"""{"subjectId":{"$type":"System.Object"},"image":"AAAA"}""");
        yield return Json("json: fmrTarget \"NaN\"", 400, "fmr_target_unsupported", "/v1/verify", s => $$"""{"subjectId":"{{s}}","fmrTarget":"NaN","image":"{{B64()}}"}""");
        yield return Json("json: fmrTarget -1", 400, "fmr_target_unsupported", "/v1/verify", s => $$"""{"subjectId":"{{s}}","fmrTarget":-1,"image":"{{B64()}}"}""");
        yield return new HostileCase("json: UTF-16 body", 400, invalid, s => Post("/v1/verify", new ByteArrayContent(
            Encoding.Unicode.GetBytes($$"""{"subjectId":"{{s}}","image":"AAAA"}""")), "application/json"));
        yield return new HostileCase("json: Content-Length of 200 MB", 413, tooLarge, _ => Post("/v1/enroll", new GeneratedContent(200L << 20, chunked: false), "application/json"));
        yield return new HostileCase("json: chunked, one string of 16 MB", 413, tooLarge, _ => Post("/v1/enroll", new GeneratedContent(16L << 20, chunked: true), "application/json"));
        yield return new HostileCase("json: chunked, 80 MB of small strings", 413, tooLarge,
            _ => Post("/v1/enroll", new GeneratedContent(80L << 20, chunked: true, "\"AAAA\","u8.ToArray()), "application/json"));
        yield return Json("base64: with line breaks every 76 characters", 422, noFace, "/v1/verify",
            s => $$"""{"subjectId":"{{s}}","image":"{{Convert.ToBase64String(HostileImages.Jpeg(), Base64FormattingOptions.InsertLineBreaks).Replace("\r\n", "\\r\\n", StringComparison.Ordinal)}}"}""");
        yield return Json("base64: with spaces", 422, noFace, "/v1/verify",
            s => $$"""{"subjectId":"{{s}}","image":"{{string.Join(' ', B64().Chunk(64).Select(c => new string(c)))}}"}""");
        yield return Json("base64: data URL", 422, noFace, "/v1/verify", s => $$"""{"subjectId":"{{s}}","image":"data:image/jpeg;base64,{{B64()}}"}""");
        yield return Json("base64: JSON-escaped slashes", 422, noFace, "/v1/verify", s => $$"""{"subjectId":"{{s}}","image":"{{B64().Replace("/", "\\/", StringComparison.Ordinal)}}"}""");
        yield return Json("base64: URL-safe alphabet", 400, unreadable, "/v1/verify",
            s => $$"""{"subjectId":"{{s}}","image":"{{B64().Replace('+', '-').Replace('/', '_').TrimEnd('=')}}"}""");
        yield return Json("base64: not base64", 400, unreadable, "/v1/verify", s => $$"""{"subjectId":"{{s}}","image":"@@not base64@@"}""");
        yield return Json("base64: data URL without base64", 400, unreadable, "/v1/verify", s => $$"""{"subjectId":"{{s}}","image":"data:image/jpeg,AAAA"}""");

        // Multipart forms.
        yield return Form("form: duplicate subjectId", 400, invalid, "/v1/verify", s => [("subjectId", s), ("subjectId", "victim")]);
        yield return Form("form: duplicate subjectId in another case", 400, invalid, "/v1/verify", s => [("subjectId", s), ("SubjectId", "victim")]);
        yield return Form("form: duplicate challengeId", 400, invalid, "/v1/verify", s => [("subjectId", s), ("challengeId", SomeChallenge), ("challengeId", "b" + SomeChallenge[1..])]);
        yield return Form("form: duplicate fmrTarget", 400, invalid, "/v1/verify", s => [("subjectId", s), ("fmrTarget", "0.001"), ("fmrTarget", "0.01")]);
        yield return Form("form: subjectId with a trailing newline", 400, badSubject, "/v1/enroll", _ => [("subjectId", "victim\n")]);
        yield return Form("form: fmrTarget NaN", 400, "fmr_target_unsupported", "/v1/verify", s => [("subjectId", s), ("fmrTarget", "NaN")]);
        yield return Form("form: fmrTarget of 1 MB", 400, "fmr_target_unsupported", "/v1/verify", s => [("subjectId", s), ("fmrTarget", new string('9', 1 << 20) + "x")]);
        yield return Form("form: challengeId of 10 KB", 400, invalid, "/v1/verify", s => [("subjectId", s), ("challengeId", new string('a', 10_000))]);
        yield return Form("form: field name of 3,000 characters", 400, invalid, "/v1/verify", s => [("subjectId", s), (new string('n', 3000), "x")]);
        yield return Form("form: 2,000 fields", 400, invalid, "/v1/verify", s => [("subjectId", s), .. Enumerable.Range(0, 2000).Select(i => ($"f{i}", "x"))]);
        yield return new HostileCase("form: empty image part", 400, missing, s => Post("/v1/verify", Multipart(s, ("image", []))));
        yield return new HostileCase("form: 200 image parts", 400, tooMany, s => Post("/v1/enroll", Multipart(s, [.. Enumerable.Repeat(("image", new byte[16]), 200)])));
        yield return new HostileCase("form: 200 frame parts", 400, tooMany, s => Post("/v1/verify", Multipart(s, [.. Enumerable.Repeat(("frame", new byte[16]), 200)], SomeChallenge)));
        yield return new HostileCase("form: part headers of 20 KB", 400, invalid, s => Post("/v1/verify", RawMultipart(
            $"--b\r\nContent-Disposition: form-data; name=\"subjectId\"\r\nX-Pad: {new string('p', 20_000)}\r\n\r\n{s}\r\n--b--\r\n")));
        yield return new HostileCase("form: body ends before its closing boundary", 400, invalid, s => Post("/v1/verify", RawMultipart(
            $"--b\r\nContent-Disposition: form-data; name=\"subjectId\"\r\n\r\n{s}\r\n--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\n\r\nAAAA")));
        yield return new HostileCase("form: no boundary parameter", 400, invalid, s => Post("/v1/verify", new ByteArrayContent(
            Encoding.ASCII.GetBytes($"--b\r\nContent-Disposition: form-data; name=\"subjectId\"\r\n\r\n{s}\r\n--b--\r\n")), "multipart/form-data"));
        yield return new HostileCase("form: replace=maybe", 400, invalid, s => Post("/v1/enroll?replace=maybe", Multipart(s, ("image", HostileImages.Jpeg()))));
        yield return new HostileCase("path: subject id with a trailing newline", 400, badSubject, _ => new HttpRequestMessage(HttpMethod.Get, "/v1/subjects/victim%0A"));
        yield return new HostileCase("path: subject id of 4 KB", 400, badSubject, _ => new HttpRequestMessage(HttpMethod.Get, "/v1/subjects/" + new string('a', 4096)));
    }

    private static string B64() => Convert.ToBase64String(HostileImages.Jpeg());

    private static byte[] AsWebp(byte[] photo)
    {
        using var image = SixLabors.ImageSharp.Image.Load(photo);
        return HostileImages.Encode(image, new SixLabors.ImageSharp.Formats.Webp.WebpEncoder());
    }

    private static HostileCase Image(string name, int status, string code, Func<byte[]> bytes) =>
        new(name, status, code, subject => Post("/v1/verify", Multipart(subject, ("image", bytes()))));

    private static HostileCase Json(string name, int status, string code, string path, Func<string, string> body) =>
        new(name, status, code, subject => Post(path, new StringContent(body(subject), Encoding.UTF8), "application/json"));

    private static HostileCase Form(string name, int status, string code, string path, Func<string, (string Name, string Value)[]> fields) =>
        new(name, status, code, subject =>
        {
            var form = new MultipartFormDataContent();
            foreach (var (field, value) in fields(subject))
            {
                form.Add(new StringContent(value), field);
            }

            form.Add(new ByteArrayContent(HostileImages.Jpeg()), "image", "probe.jpg");
            return Post(path, form);
        });

    private static HttpRequestMessage Post(string path, HttpContent content, string? contentType = null)
    {
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
    }

    private static MultipartFormDataContent Multipart(string subject, params (string Field, byte[] Bytes)[] files) => Multipart(subject, files, null);

    private static MultipartFormDataContent Multipart(string subject, (string Field, byte[] Bytes)[] files, string? challengeId)
    {
        var form = new MultipartFormDataContent { { new StringContent(subject), "subjectId" } };
        if (challengeId is not null)
        {
            form.Add(new StringContent(challengeId), "challengeId");
        }

        foreach (var (field, bytes) in files)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, field, "upload.bin");
        }

        return form;
    }

    private static ByteArrayContent RawMultipart(string body)
    {
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        return content;
    }

    /// <summary>
    /// A JSON enrollment whose image array never ends (one endless string, or a repeated <paramref name="unit"/>),
    /// generated as it is sent: nothing this size is held. With a declared length it sends only the first megabyte: the
    /// service must refuse on the header alone, and the in-memory test server would buffer what nobody reads.
    /// </summary>
    private sealed class GeneratedContent(long length, bool chunked, byte[]? unit = null) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var prefix = unit is null ? "{\"subjectId\":\"flood\",\"images\":[\""u8.ToArray() : "{\"subjectId\":\"flood\",\"x\":["u8.ToArray();
            await stream.WriteAsync(prefix);
            var block = new byte[64 * 1024];
            if (unit is null)
            {
                Array.Fill(block, (byte)'A');
            }
            else
            {
                for (var i = 0; i + unit.Length <= block.Length; i += unit.Length)
                {
                    unit.CopyTo(block, i);
                }

                block = block[..(block.Length / unit.Length * unit.Length)];
            }

            var end = chunked ? length : Math.Min(length, 1 << 20);
            for (var sent = (long)prefix.Length; sent < end; sent += block.Length)
            {
                await stream.WriteAsync(block.AsMemory(0, (int)Math.Min(block.Length, end - sent)));
            }
        }

        protected override bool TryComputeLength(out long length1)
        {
            length1 = length;
            return !chunked;
        }
    }
}
