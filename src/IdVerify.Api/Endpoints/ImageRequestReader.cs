using System.Text.Json;
using System.Text.RegularExpressions;
using IdVerify.Core;
using IdVerify.Core.Imaging;
using IdVerify.Core.Liveness;
using IdVerify.Core.Verification;
using Microsoft.Extensions.Options;

namespace IdVerify.Api.Endpoints;

/// <summary>
/// Reads enroll and verify requests in both accepted shapes. Every input is hostile until read: the body is bounded by
/// what its shape can need, image counts are checked before any image is copied into memory, single-valued fields must
/// appear once, and no failure repeats a parser's message or more of the caller's input than an id.
/// </summary>
public sealed partial class ImageRequestReader
{
    /// <summary>Bytes asked of the body per read; the JSON buffer's smallest size.</summary>
    private const int ReadSize = 64 * 1024;

    /// <summary>ASP.NET Core's limit for url-encoded field names (FormOptions.KeyLengthLimit), for multipart ones too.</summary>
    private const int MaxFieldName = 2048;

    private readonly ImageLimits limits;
    private readonly RequestBodyLimits bodies;
    private readonly int maxImages;
    private readonly int maxFrames;

    public ImageRequestReader(ImageLimits limits, IOptions<EnrollmentOptions> enrollment, IOptions<ChallengeOptions> challenge)
    {
        this.limits = limits;
        bodies = RequestBodyLimits.From(limits, enrollment.Value, challenge.Value);
        maxImages = enrollment.Value.MaxImagesPerRequest;
        maxFrames = challenge.Value.MaxFrames;
    }

    /// <summary>Challenge ids are 32 hex digits today; this bounds what a lookup (and its error message) ever sees.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ChallengeIdPattern();

    /// <summary>
    /// The most this request's shape (a form or JSON; an enrollment or a verify) may send; the body is held to it once, as it
    /// is buffered before the inference gate (<see cref="Infrastructure.RequestBodyBuffer"/>).
    /// </summary>
    public long BodyLimit(HttpRequest request, bool many) => request.HasJsonContentType()
        ? many ? bodies.EnrollJson : bodies.VerifyJson
        : many ? bodies.EnrollForm : bodies.VerifyForm;

    public async Task<ImageRequest> ReadAsync(HttpRequest request, string fileField, bool many, CancellationToken cancellationToken)
    {
        if (request.HasFormContentType)
        {
            return await ReadFormAsync(request, fileField, many, cancellationToken);
        }

        if (request.HasJsonContentType())
        {
            return await ReadJsonAsync(request, many, cancellationToken);
        }

        throw new IdVerifyException(ErrorCodes.InvalidRequest,
            "Send multipart/form-data with subjectId and image fields, or application/json with base64 images.");
    }

    private async Task<ImageRequest> ReadFormAsync(HttpRequest request, string fileField, bool many, CancellationToken cancellationToken)
    {
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest,
                "The multipart form is malformed or breaks a form limit (a boundary, field names up to 2,048 characters, " +
                "at most 1,024 fields, part headers up to 16 KB).", ex);
        }
        catch (IOException ex) when (ex is not BadHttpRequestException)
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest, "The multipart body ends before its closing boundary.", ex);
        }

        // The form reader holds url-encoded names to 2,048 characters but multipart names only to the part's headers.
        if (form.Keys.Concat(form.Files.Select(f => f.Name)).Any(key => key.Length > MaxFieldName))
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest, $"A form field name is longer than {MaxFieldName:N0} characters.");
        }

        var images = form.Files.GetFiles(fileField);
        var frames = form.Files.GetFiles("frame");
        CheckCount(images.Count, many ? maxImages : 1, fileField);
        CheckCount(frames.Count, maxFrames, "frame");
        return Checked(new ImageRequest(
            Single(form, "subjectId"),
            await ReadFilesAsync(images, fileField, cancellationToken),
            ParseFmrTarget(Single(form, "fmrTarget")),
            Single(form, "challengeId"),
            await ReadFilesAsync(frames, "frame", cancellationToken)));
    }

    private async Task<ImageRequest> ReadJsonAsync(HttpRequest request, bool many, CancellationToken cancellationToken)
    {
        var body = request.Body;
        var parser = new JsonImageRequestParser(many, limits.MaxBytes, maxImages, maxFrames);
        try
        {
            // The buffer holds at most one whole value: an image's base64 (the largest token a valid body has) and a read.
            var largest = bodies.JsonValue + ReadSize;
            var buffer = new byte[Math.Clamp(request.ContentLength ?? ReadSize, ReadSize, largest)];
            int start = 0, end = 0;
            var state = new JsonReaderState(JsonImageRequestParser.ReaderOptions);
            for (var final = false; !final;)
            {
                if (end == buffer.Length)
                {
                    if (start > 0)
                    {
                        buffer.AsSpan(start, end - start).CopyTo(buffer);
                        (start, end) = (0, end - start);
                    }
                    else if (buffer.Length < largest)
                    {
                        Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, largest));
                    }
                    else
                    {
                        throw new IdVerifyException(ErrorCodes.ImageTooLarge,
                            $"A value in the JSON body is longer than the {bodies.JsonValue:N0} bytes an image's base64 may take.");
                    }
                }

                var read = await body.ReadAsync(buffer.AsMemory(end), cancellationToken);
                final = read == 0;
                end += read;
                start += (int)parser.Consume(buffer.AsSpan(start, end - start), final, ref state);
            }

            if (!parser.Finished)
            {
                throw new IdVerifyException(ErrorCodes.InvalidRequest, "The JSON body ends before its object does.");
            }

            return Checked(new ImageRequest(parser.SubjectId, parser.Images.Count > 0 ? parser.Images : parser.Image is { } image ? [image] : [],
                parser.FmrTarget, parser.ChallengeId, parser.Frames));
        }
        catch (JsonException ex)
        {
            // The reader's message names .NET types and echoes input; only the position is passed on.
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, byte {(ex.BytePositionInLine ?? 0) + 1})" : "";
            throw new IdVerifyException(ErrorCodes.InvalidRequest, $"The JSON body is malformed or nested too deeply{where}.", ex);
        }
        catch (IOException ex) when (ex is not BadHttpRequestException)
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest, "The request body ended before the JSON did.", ex);
        }
    }

    /// <summary>Refuses a body whose declared length is already too long, and caps one that declares none (chunked).</summary>
    private static void CheckCount(int count, int max, string field)
    {
        if (count > max)
        {
            throw new IdVerifyException(ErrorCodes.TooManyImages, $"{count} '{field}' files were sent; at most {max}.");
        }
    }

    /// <summary>A field the request may carry once: the JSON shape refuses a repeat too (see <see cref="JsonImageRequestParser"/>).</summary>
    private static string? Single(IFormCollection form, string name)
    {
        var values = form[name];
        return values.Count <= 1
            ? values.FirstOrDefault()
            : throw new IdVerifyException(ErrorCodes.InvalidRequest, $"'{name}' appears more than once in the request.");
    }

    private static ImageRequest Checked(ImageRequest request)
    {
        if (request.ChallengeId is { Length: > 0 } challengeId && !ChallengeIdPattern().IsMatch(challengeId))
        {
            throw InvalidChallengeId();
        }

        if (request.FmrTarget is { } target && !(double.IsFinite(target) && target is > 0 and <= 1))
        {
            throw new IdVerifyException(ErrorCodes.FmrTargetUnsupported, "fmrTarget must be a false match rate between 0 and 1.");
        }

        return request;
    }

    internal static IdVerifyException InvalidChallengeId() =>
        new(ErrorCodes.InvalidRequest, "challengeId must be 1 to 64 characters from A-Z, a-z, 0-9, _ and -.");

    private async Task<List<byte[]>> ReadFilesAsync(IReadOnlyList<IFormFile> files, string field, CancellationToken cancellationToken)
    {
        var images = new List<byte[]>(files.Count);
        for (var i = 0; i < files.Count; i++)
        {
            // Named by position: a file name is the caller's text, of any length.
            if (files[i].Length > limits.MaxBytes)
            {
                throw new IdVerifyException(ErrorCodes.ImageTooLarge,
                    $"'{field}' file {i + 1} is {files[i].Length:N0} bytes; the limit is {limits.MaxBytes:N0}.");
            }

            var bytes = new byte[files[i].Length];
            await using var stream = files[i].OpenReadStream();
            await stream.ReadExactlyAsync(bytes, cancellationToken);
            images.Add(bytes);
        }

        return images;
    }

    private static double? ParseFmrTarget(string? value)
    {
        if (value is not { Length: > 0 })
        {
            return null;
        }

        return double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var target)
            ? target
            : throw new IdVerifyException(ErrorCodes.FmrTargetUnsupported, "fmrTarget is not a number.");
    }
}
