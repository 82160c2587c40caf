using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using IdVerify.Core;
using IdVerify.Core.Templates;

namespace IdVerify.Api.Endpoints;

/// <summary>
/// Reads an enroll or verify JSON body token by token as it streams in, decoding each base64 image from the UTF-8
/// buffer straight into its bytes. System.Text.Json's DeserializeAsync built a UTF-16 string of every image (a 10 MB
/// photo was a 27 MB string) and grew its buffer in the shared ArrayPool, which kept the grown arrays after the request:
/// 40 parallel 63 MB enrollments held 1.37 GB. Here the caller's buffer holds at most one image's base64, and nothing
/// is pooled. Property names match as the service's JSON settings do (camelCase, case-insensitive; unknown ones are
/// skipped), and each known property may appear once.
/// </summary>
/// <param name="many">enroll (<c>images</c>) rather than verify (<c>image</c>, <c>frames</c>, <c>fmrTarget</c>, <c>challengeId</c>).</param>
internal sealed class JsonImageRequestParser(bool many, long maxImageBytes, int maxImages, int maxFrames)
{
    /// <summary>No id this service issues or accepts is longer; a longer one is refused without being turned into a string.</summary>
    private const int MaxIdBytes = 1024;

    private readonly HashSet<Field> seen = [];
    private Field pending;
    private Field array;
    private int skipDepth = -1;
    private bool started;

    private enum Field
    {
        None,
        Unknown,
        SubjectId,
        Image,
        Images,
        FmrTarget,
        ChallengeId,
        Frames,
    }

    public static JsonReaderOptions ReaderOptions => new() { MaxDepth = 16 };

    public bool Finished { get; private set; }

    public string? SubjectId { get; private set; }

    public byte[]? Image { get; private set; }

    public double? FmrTarget { get; private set; }

    public string? ChallengeId { get; private set; }

    public List<byte[]> Images { get; } = [];

    public List<byte[]> Frames { get; } = [];

    /// <summary>Consumes every whole token in <paramref name="data"/>; returns how many bytes that was.</summary>
    public long Consume(ReadOnlySpan<byte> data, bool isFinalBlock, ref JsonReaderState state)
    {
        var reader = new Utf8JsonReader(data, isFinalBlock, state);
        while (reader.Read())
        {
            Token(ref reader);
        }

        state = reader.CurrentState;
        return reader.BytesConsumed;
    }

    private static IdVerifyException Invalid(string detail) => new(ErrorCodes.InvalidRequest, detail);

    private static string Name(Field field) => field switch
    {
        Field.SubjectId => "subjectId",
        Field.Image => "image",
        Field.Images => "images",
        Field.FmrTarget => "fmrTarget",
        Field.ChallengeId => "challengeId",
        _ => "frames",
    };

    private void Token(ref Utf8JsonReader reader)
    {
        if (skipDepth >= 0)
        {
            if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray && reader.CurrentDepth == skipDepth)
            {
                skipDepth = -1;
            }

            return;
        }

        if (!started)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Invalid("The JSON body must be an object.");
            }

            started = true;
            return;
        }

        if (array != Field.None)
        {
            Element(ref reader);
            return;
        }

        switch (reader.TokenType)
        {
            case JsonTokenType.PropertyName:
                pending = Lookup(ref reader);
                return;
            case JsonTokenType.EndObject:
                Finished = true;
                return;
        }

        var field = pending;
        pending = Field.None;
        var isNull = reader.TokenType == JsonTokenType.Null;
        switch (field)
        {
            case Field.SubjectId:
                SubjectId = isNull ? null : Id(ref reader, field);
                break;
            case Field.ChallengeId:
                ChallengeId = isNull ? null : Id(ref reader, field);
                break;
            case Field.FmrTarget:
                FmrTarget = isNull ? null : Number(ref reader);
                break;
            case Field.Image:
                Image = isNull ? null : Base64(ref reader, "image");
                break;
            case Field.Images or Field.Frames when !isNull:
                array = reader.TokenType == JsonTokenType.StartArray ? field : throw Invalid($"'{Name(field)}' must be an array of base64 strings.");
                break;
            case Field.Unknown when reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray:
                skipDepth = reader.CurrentDepth;
                break;
        }
    }

    private void Element(ref Utf8JsonReader reader)
    {
        var list = array == Field.Images ? Images : Frames;
        var max = array == Field.Images ? maxImages : maxFrames;
        switch (reader.TokenType)
        {
            case JsonTokenType.EndArray:
                array = Field.None;
                return;
            case JsonTokenType.Null:
                throw Invalid($"{Name(array)}[{list.Count}] is null; each must be a base64 string.");
            case JsonTokenType.String when list.Count >= max:
                // Refused at the first one too many, before it is decoded.
                throw new IdVerifyException(ErrorCodes.TooManyImages, $"More than {max} '{Name(array)}' were sent; at most {max}.");
            default:
                list.Add(Base64(ref reader, $"{Name(array)}[{list.Count}]"));
                return;
        }
    }

    private Field Lookup(ref Utf8JsonReader reader)
    {
        // The longest name is 11 characters (66 bytes with every one \u-escaped); a longer one, up to an image's size, is
        // skipped without being copied.
        if (reader.ValueSpan.Length > 128)
        {
            return Field.Unknown;
        }

        Span<byte> name = stackalloc byte[128];
        name = name[..reader.CopyString(name)];
        var field =
            Ascii.EqualsIgnoreCase(name, "subjectId"u8) ? Field.SubjectId :
            Ascii.EqualsIgnoreCase(name, "challengeId"u8) && !many ? Field.ChallengeId :
            Ascii.EqualsIgnoreCase(name, "fmrTarget"u8) && !many ? Field.FmrTarget :
            Ascii.EqualsIgnoreCase(name, "image"u8) && !many ? Field.Image :
            Ascii.EqualsIgnoreCase(name, "frames"u8) && !many ? Field.Frames :
            Ascii.EqualsIgnoreCase(name, "images"u8) && many ? Field.Images :
            Field.Unknown;

        // System.Text.Json keeps the last of duplicate keys and the multipart reader the first, so a repeated subjectId
        // named a different subject to each: refused in both shapes.
        return field == Field.Unknown || seen.Add(field)
            ? field
            : throw Invalid($"'{Name(field)}' appears more than once in the request.");
    }

    private static string Id(ref Utf8JsonReader reader, Field field)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw Invalid($"'{Name(field)}' must be a string.");
        }

        if (reader.ValueSpan.Length <= MaxIdBytes)
        {
            return reader.GetString()!;
        }

        // Far past any valid id: refused as the validators would refuse it, without a string of its size.
        if (field == Field.SubjectId)
        {
            SubjectIds.Validate("");
        }

        throw ImageRequestReader.InvalidChallengeId();
    }

    private static double Number(ref Utf8JsonReader reader)
    {
        // The service's JSON settings read numbers from strings too.
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var value))
        {
            return value;
        }

        if (reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length <= 64
            && double.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return value;
        }

        throw new IdVerifyException(ErrorCodes.FmrTargetUnsupported, "fmrTarget is not a number.");
    }

    /// <summary>
    /// Standard base64 (RFC 4648 §4), with or without line breaks and spaces (MIME, Android's Base64.DEFAULT), optionally
    /// behind a <c>data:…;base64,</c> prefix. The URL-safe alphabet is refused rather than guessed at.
    /// </summary>
    private byte[] Base64(ref Utf8JsonReader reader, string what)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw Invalid($"{what} must be a base64 string.");
        }

        if (!reader.ValueIsEscaped)
        {
            return Decode(reader.ValueSpan, what);
        }

        // Escaped (an encoder that writes \/ or \n): unescaped into a copy that is garbage after this image.
        var copy = new byte[reader.ValueSpan.Length];
        return Decode(copy.AsSpan(0, reader.CopyString(copy)), what);
    }

    private byte[] Decode(ReadOnlySpan<byte> text, string what)
    {
        if (text.StartsWith("data:"u8))
        {
            var comma = text.IndexOf((byte)',');
            text = comma >= 0 && text[..comma].EndsWith(";base64"u8)
                ? text[(comma + 1)..]
                : throw new IdVerifyException(ErrorCodes.ImageUnreadable, $"{what} is a data URL without base64 (data:image/…;base64,…).");
        }

        if (!System.Buffers.Text.Base64.IsValid(text, out var size))
        {
            throw new IdVerifyException(ErrorCodes.ImageUnreadable, text.IndexOfAny("-_"u8) >= 0
                ? $"{what} is in the URL-safe base64 alphabet (- and _); send standard base64 (+ and /)."
                : $"{what} is not valid base64.");
        }

        if (size > maxImageBytes)
        {
            throw new IdVerifyException(ErrorCodes.ImageTooLarge, $"{what} decodes to {size:N0} bytes; the limit is {maxImageBytes:N0}.");
        }

        var bytes = new byte[size];
        return System.Buffers.Text.Base64.DecodeFromUtf8(text, bytes, out _, out var written) == OperationStatus.Done && written == size
            ? bytes
            : throw new IdVerifyException(ErrorCodes.ImageUnreadable, $"{what} is not valid base64.");
    }
}
