using System.Net;

namespace IdVerify.Api.Tests;

/// <summary>The kiosk page is off unless Kiosk:Enabled=true (the browser tests in IdVerify.Kiosk.Tests turn it on).</summary>
[Collection(ApiCollection.Name)]
public sealed class KioskApiTests(ApiFactory factory)
{
    [Theory]
    [InlineData("/kiosk/")]
    [InlineData("/kiosk/index.html")]
    [InlineData("/kiosk/kiosk.js")]
    public async Task The_kiosk_page_is_not_served_unless_enabled(string path)
    {
        var anonymous = await factory.ClientWithKey(null).GetAsync(path);
        var withKey = await factory.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, withKey.StatusCode);
    }
}
