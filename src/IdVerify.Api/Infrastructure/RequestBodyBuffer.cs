using IdVerify.Core;

namespace IdVerify.Api.Infrastructure;

/// <summary>
/// Reads a request body in full, against a deadline, into a rewindable buffer that replaces <c>Request.Body</c>; the
/// endpoint then parses it as before, from memory (or, for a large enrollment, a temporary file).
/// </summary>
public static class RequestBodyBuffer
{
    /// <summary>Bodies up to this size stay in memory (a kiosk selfie is 50-500 KB); larger ones go to a temporary file.</summary>
    private const int MemoryThreshold = 1 << 20;

    public static async Task ReadAsync(HttpContext context, TimeSpan deadline, long limit)
    {
        var request = context.Request;
        if (request.ContentLength > limit)
        {
            throw new IdVerifyException(ErrorCodes.ImageTooLarge,
                $"The request body is {request.ContentLength:N0} bytes; this request may send at most {limit:N0}.");
        }

        var reader = request.BodyReader;
        Stream buffer = request.ContentLength is { } length && length <= MemoryThreshold
            ? new MemoryStream((int)length)
            : new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        context.Response.RegisterForDispose(buffer);

        // The deadline cancels the pending read rather than its token: a read cancelled by token leaves Kestrel's body
        // reader unusable (it then logs an error while draining), a cancelled pending read does not.
        using var timer = new CancellationTokenSource(deadline);
        await using (timer.Token.Register(reader.CancelPendingRead))
        {
            while (true)
            {
                var result = await reader.ReadAsync(context.RequestAborted);
                if (result.IsCanceled)
                {
                    reader.AdvanceTo(result.Buffer.Start);
                    throw new IdVerifyException(ErrorCodes.RequestTimeout,
                        $"The request body did not arrive within {deadline.TotalSeconds:0.#} s (Limits:BodyReadTimeout).");
                }

                if (buffer.Length + result.Buffer.Length > limit)
                {
                    reader.AdvanceTo(result.Buffer.End);
                    throw new IdVerifyException(ErrorCodes.ImageTooLarge, $"The request body passed the {limit:N0} bytes this request may send.");
                }

                foreach (var segment in result.Buffer)
                {
                    await buffer.WriteAsync(segment, context.RequestAborted);
                }

                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }

        buffer.Position = 0;
        request.Body = buffer;
    }
}
