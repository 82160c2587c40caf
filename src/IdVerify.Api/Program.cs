using IdVerify.Api.Endpoints;
using IdVerify.Api.Infrastructure;
using IdVerify.Core.Hosting;

var builder = WebApplication.CreateBuilder(args);

// The bundle a swap or `idverify models use` activated, below environment variables and the command line.
builder.Configuration.AddActiveBundle(builder.Configuration);

builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemMapping.AddCodeToFrameworkProblems);
builder.Services.AddExceptionHandler<ProblemMapping>();
builder.Services.AddOpenApi();
builder.Services.AddFaceEngine(builder.Configuration);
builder.Services.AddIdVerifyHealth();
builder.Services.AddApiAccess();
builder.Services.AddAuditTrail();
builder.Services.AddImageRequests(builder.WebHost, builder.Configuration);
builder.Services.AddKiosk(builder.Environment);

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
// Before the key check: the page is public, every API call it makes carries the operator's key.
app.UseKiosk();
app.UseApiAccess();
app.MapOpenApi().AllowAnonymous();
app.MapHealth();
app.MapVerification();
app.MapSubjects();
app.MapLiveness();
app.MapModels();
app.MapAudit();
app.MapKeys();

app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
