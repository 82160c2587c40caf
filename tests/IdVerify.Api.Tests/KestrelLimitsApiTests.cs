using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace IdVerify.Api.Tests;

/// <summary>The service on a real Kestrel at 127.0.0.1, spoken to over a raw socket: what the in-memory server cannot show.</summary>
public sealed class KestrelLimitsApiTests(KestrelApiFixture api) : IClassFixture<KestrelApiFixture>
{
    [Fact]
    public async Task A_request_line_past_the_limit_gets_a_problem_up_to_twice_the_limit()
    {
        var (status, type, body) = await Send($"GET /v1/subjects/{new string('a', 10_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        AssertProblem(status, type, body, 414, "uri_too_long");

        // Beyond twice the limit Kestrel answers itself, before any middleware: still a 414, without a body.
        (status, _, _) = await Send($"GET /{new string('a', 20_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        Assert.Equal(414, status);
    }

    [Fact]
    public async Task Headers_past_the_limit_get_a_problem_up_to_twice_the_limit()
    {
        var (status, type, body) = await Send($"GET /health/live HTTP/1.1\r\nHost: x\r\nX-Pad: {new string('p', 40_000)}\r\nConnection: close\r\n\r\n");
        AssertProblem(status, type, body, 431, "headers_too_large");

        var many = string.Concat(Enumerable.Range(0, 150).Select(i => $"X-H{i}: v\r\n"));
        (status, type, body) = await Send($"GET /health/live HTTP/1.1\r\nHost: x\r\n{many}Connection: close\r\n\r\n");
        AssertProblem(status, type, body, 431, "headers_too_large");

        (status, _, _) = await Send($"GET /health/live HTTP/1.1\r\nHost: x\r\nX-Pad: {new string('p', 70_000)}\r\nConnection: close\r\n\r\n");
        Assert.Equal(431, status);
    }

    [Fact]
    public async Task A_request_Kestrel_cannot_parse_gets_its_bare_400_and_never_a_500()
    {
        var (status, _, _) = await Send("GET /v1/subjects/x HTTP/1.1\r\nHost: x\r\nBad Header Without Colon\r\n\r\n");
        Assert.Equal(400, status);
    }

    [Fact]
    public async Task A_multipart_body_cut_before_its_closing_boundary_gets_invalid_request()
    {
        // Over a real socket the body is whole by Content-Length; only the form inside it ends early (an IOException: a 500).
        const string form = "--b\r\nContent-Disposition: form-data; name=\"subjectId\"\r\n\r\ncust-1\r\n--b\r\n" +
                            "Content-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\n\r\nAAAA";
        var (status, type, body) = await Send($"POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n" +
                                              $"Content-Length: {form.Length}\r\nConnection: close\r\n\r\n{form}");
        AssertProblem(status, type, body, 400, "invalid_request");
    }

    [Fact]
    public async Task A_declared_body_too_large_for_its_shape_is_refused_before_it_is_sent()
    {
        // 60 MB is within Kestrel's limit (a base64 enrollment's) but more than five images need as multipart; nothing is sent.
        var (status, type, body) = await Send("POST /v1/enroll HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n" +
                                              $"Content-Length: {60 << 20}\r\nConnection: close\r\n\r\n");
        AssertProblem(status, type, body, 413, "image_too_large");
    }

    private static void AssertProblem(int status, string? type, string body, int expectedStatus, string code)
    {
        Assert.True(status == expectedStatus, $"expected {expectedStatus}, got {status}: {body}");
        Assert.Equal("application/problem+json", type);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(code, problem.RootElement.GetProperty("code").GetString());
        Assert.True(problem.RootElement.GetProperty("detail").GetString()!.Length <= 300);
    }

    /// <summary>Writes raw bytes and reads one response (status, media type, body): to its length, its last chunk, or the close.</summary>
    private async Task<(int Status, string? MediaType, string Body)> Send(string request)
    {
        // Authenticated like any caller: what is under test is the body, not the key.
        var lineEnd = request.IndexOf("\r\n", StringComparison.Ordinal);
        request = $"{request[..(lineEnd + 2)]}X-Api-Key: {api.ApiKey}\r\n{request[(lineEnd + 2)..]}";
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, api.Port);
        var stream = tcp.GetStream();
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        }
        catch (IOException)
        {
            // The server may answer and close before it has read all of an oversized request.
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            while (!Complete(received.ToArray()) && await stream.ReadAsync(buffer, timeout.Token) is var n and > 0)
            {
                received.Write(buffer, 0, n);
            }
        }
        catch (IOException)
        {
            // A reset after the response: what was read is the answer.
        }

        var text = Encoding.UTF8.GetString(received.ToArray());
        var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = headerEnd >= 0 ? text[..headerEnd] : text;
        var status = int.Parse(head.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        var body = headerEnd >= 0 ? text[(headerEnd + 4)..] : "";
        return (status, Header(head, "Content-Type")?.Split(';')[0].Trim(), Chunked(head) ? Dechunk(body) : body);
    }

    private static string? Header(string head, string name) =>
        head.Split("\r\n").FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))?.Split(':', 2)[1].Trim();

    private static bool Chunked(string head) => Header(head, "Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true;

    private static bool Complete(byte[] received)
    {
        var text = Encoding.ASCII.GetString(received);
        var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (headerEnd < 0)
        {
            return false;
        }

        var head = text[..headerEnd];
        return Chunked(head)
            ? text.EndsWith("0\r\n\r\n", StringComparison.Ordinal)
            : Header(head, "Content-Length") is { } length && received.Length - headerEnd - 4 >= int.Parse(length, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Dechunk(string chunked)
    {
        var body = new StringBuilder();
        for (var position = 0; position < chunked.Length;)
        {
            var lineEnd = chunked.IndexOf("\r\n", position, StringComparison.Ordinal);
            var size = Convert.ToInt32(chunked[position..lineEnd].Split(';')[0], 16);
            if (size == 0)
            {
                break;
            }

            body.Append(chunked, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }

        return body.ToString();
    }
}
