using System.Text.Json;
using IdVerify.Api.Endpoints.Contracts;
using IdVerify.Core;
using IdVerify.Core.Imaging;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace IdVerify.Api.Endpoints;

/// <summary>Reads enroll and verify requests in both accepted shapes, checking sizes before buffering.</summary>
public sealed class ImageRequestReader(IOptions<JsonOptions> json, ImageLimits limits)
{
    public async Task<ImageRequest> ReadAsync(HttpRequest request, string fileField, bool many, CancellationToken cancellationToken)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            return new ImageRequest(
                form["subjectId"].FirstOrDefault(),
                await ReadFilesAsync(form.Files.GetFiles(fileField), cancellationToken),
                ParseFmrTarget(form["fmrTarget"].FirstOrDefault()),
                form["challengeId"].FirstOrDefault(),
                await ReadFilesAsync(form.Files.GetFiles("frame"), cancellationToken));
        }

        if (request.HasJsonContentType())
        {
            if (many)
            {
                var body = await JsonSerializer.DeserializeAsync<EnrollJsonRequest>(request.Body, json.Value.SerializerOptions, cancellationToken)
                    ?? throw new IdVerifyException(ErrorCodes.InvalidRequest, "The JSON body is empty.");
                return new ImageRequest(body.SubjectId, (body.Images ?? []).Select(FromBase64).ToList());
            }

            var single = await JsonSerializer.DeserializeAsync<VerifyJsonRequest>(request.Body, json.Value.SerializerOptions, cancellationToken)
                ?? throw new IdVerifyException(ErrorCodes.InvalidRequest, "The JSON body is empty.");
            return new ImageRequest(single.SubjectId, single.Image is null ? [] : [FromBase64(single.Image)], single.FmrTarget,
                single.ChallengeId, (single.Frames ?? []).Select(FromBase64).ToList());
        }

        throw new IdVerifyException(ErrorCodes.InvalidRequest,
            "Send multipart/form-data with subjectId and image fields, or application/json with base64 images.");
    }

    private async Task<List<byte[]>> ReadFilesAsync(IReadOnlyList<IFormFile> files, CancellationToken cancellationToken)
    {
        var images = new List<byte[]>();
        foreach (var file in files)
        {
            if (file.Length > limits.MaxBytes)
            {
                throw new IdVerifyException(ErrorCodes.ImageTooLarge,
                    $"'{file.FileName}' is {file.Length:N0} bytes; the limit is {limits.MaxBytes:N0}.");
            }

            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, cancellationToken);
            images.Add(buffer.ToArray());
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
            : throw new IdVerifyException(ErrorCodes.FmrTargetUnsupported, $"fmrTarget '{value}' is not a number.");
    }

    private byte[] FromBase64(string encoded)
    {
        // A data URL prefix ("data:image/jpeg;base64,") is common from browsers and kiosk web views.
        var comma = encoded.StartsWith("data:", StringComparison.Ordinal) ? encoded.IndexOf(',', StringComparison.Ordinal) : -1;
        var payload = comma >= 0 ? encoded[(comma + 1)..] : encoded;
        if ((long)payload.Length * 3 / 4 > limits.MaxBytes)
        {
            throw new IdVerifyException(ErrorCodes.ImageTooLarge, $"A base64 image decodes to more than {limits.MaxBytes:N0} bytes.");
        }

        try
        {
            return Convert.FromBase64String(payload);
        }
        catch (FormatException)
        {
            throw new IdVerifyException(ErrorCodes.ImageUnreadable, "An image is not valid base64.");
        }
    }
}
