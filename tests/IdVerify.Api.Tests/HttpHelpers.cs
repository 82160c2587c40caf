using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IdVerify.Tests;

namespace IdVerify.Api.Tests;

public static class HttpHelpers
{
    public static MultipartFormDataContent Form(string? subjectId, params (string Name, byte[] Bytes)[] images)
    {
        var form = new MultipartFormDataContent();
        if (subjectId is not null)
        {
            form.Add(new StringContent(subjectId), "subjectId");
        }

        foreach (var (name, bytes) in images)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "image", name);
        }

        return form;
    }

    public static MultipartFormDataContent Form(string? subjectId, params string[] photos) =>
        Form(subjectId, photos.Select(p => (Path.GetFileName(p), TestData.Read(p))).ToArray());

    public static async Task<JsonElement> Json(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>Asserts an RFC 9457 problem with the given status and stable code.</summary>
    public static async Task<JsonElement> AssertProblem(this HttpResponseMessage response, int status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status} {code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        return problem;
    }
}
