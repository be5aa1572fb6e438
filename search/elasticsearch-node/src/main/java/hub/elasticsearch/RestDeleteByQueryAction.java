package hub.elasticsearch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.DocWriteResponse;
import org.elasticsearch.action.admin.indices.refresh.RefreshRequest;
import org.elasticsearch.action.bulk.BulkItemResponse;
import org.elasticsearch.action.bulk.BulkRequest;
import org.elasticsearch.action.bulk.BulkResponse;
import org.elasticsearch.action.delete.DeleteRequest;
import org.elasticsearch.action.search.ClearScrollRequest;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.action.search.SearchScrollRequest;
import org.elasticsearch.action.support.IndicesOptions;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.common.Strings;
import org.elasticsearch.core.TimeValue;
import org.elasticsearch.index.query.AbstractQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestChannel;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.xcontent.ToXContent;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;

/**
 * `POST /{index}/_delete_by_query`, as the reindex module answers it, for a node without that module.
 *
 * One scroll over the matching documents; each page is deleted with one bulk request
 * conditioned on the sequence number the search saw, so a document changed meanwhile
 * is a version conflict (counted with `conflicts=proceed`, fatal otherwise, as in
 * Elasticsearch). Not supported: slices other than 1, throttling, tasks
 * (`wait_for_completion=false`), custom routing.
 */
final class RestDeleteByQueryAction extends BaseRestHandler {

    private static final TimeValue SCROLL_KEEP_ALIVE = TimeValue.timeValueMinutes(5);
    private static final int DEFAULT_SCROLL_SIZE = 1000;

    @Override
    public String getName() {
        return "hub_delete_by_query_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(RestRequest.Method.POST, "/{index}/_delete_by_query"));
    }

    @Override
    protected Set<String> responseParams() {
        return Set.of();
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        String[] indices = Strings.splitStringByCommaToArray(request.param("index"));
        String conflicts = request.param("conflicts", "abort");
        if (conflicts.equals("abort") == false && conflicts.equals("proceed") == false) {
            throw new IllegalArgumentException("conflicts may only be \"proceed\" or \"abort\" but was [" + conflicts + "]");
        }
        boolean refresh = request.paramAsBoolean("refresh", false);
        int scrollSize = request.paramAsInt("scroll_size", DEFAULT_SCROLL_SIZE);
        int maxDocs = request.paramAsInt("max_docs", -1);
        if (request.paramAsBoolean("wait_for_completion", true) == false) {
            throw new IllegalArgumentException("wait_for_completion=false is not supported by this node");
        }
        String slices = request.param("slices", "1");
        if (slices.equals("1") == false && slices.equals("auto") == false) {
            throw new IllegalArgumentException("slices other than 1 or auto are not supported by this node");
        }
        request.param("timeout");
        request.param("requests_per_second");
        IndicesOptions indicesOptions = IndicesOptions.fromRequest(request, SearchRequest.DEFAULT_INDICES_OPTIONS);

        QueryBuilder[] query = { QueryBuilders.matchAllQuery() };
        int[] bodyMaxDocs = { -1 };
        if (request.hasContentOrSourceParam()) {
            try (XContentParser parser = request.contentOrSourceParamParser()) {
                if (parser.nextToken() != XContentParser.Token.START_OBJECT) {
                    throw new IllegalArgumentException("the body of _delete_by_query must be an object");
                }
                for (XContentParser.Token token = parser.nextToken(); token != XContentParser.Token.END_OBJECT; token = parser.nextToken()) {
                    String field = parser.currentName();
                    parser.nextToken();
                    switch (field) {
                        case "query" -> query[0] = AbstractQueryBuilder.parseTopLevelQuery(parser);
                        case "max_docs" -> bodyMaxDocs[0] = parser.intValue();
                        default -> throw new IllegalArgumentException("[" + field + "] is not supported by _delete_by_query on this node");
                    }
                }
            }
        }
        int limit = bodyMaxDocs[0] >= 0 ? bodyMaxDocs[0] : maxDocs;
        return channel -> new Run(client, channel, indices, indicesOptions, query[0], scrollSize, limit, conflicts.equals("abort"), refresh)
            .start();
    }

    /** One delete-by-query: scroll, delete each page, refresh, answer. */
    private static final class Run {
        private final NodeClient client;
        private final RestChannel channel;
        private final String[] indices;
        private final IndicesOptions indicesOptions;
        private final QueryBuilder query;
        private final int scrollSize;
        private final int maxDocs;
        private final boolean abortOnConflict;
        private final boolean refresh;
        private final long startNanos = System.nanoTime();
        private final List<BulkItemResponse.Failure> failures = new ArrayList<>();
        private String scrollId;
        private long total;
        private long seen;
        private long deleted;
        private long batches;
        private long versionConflicts;

        Run(
            NodeClient client,
            RestChannel channel,
            String[] indices,
            IndicesOptions indicesOptions,
            QueryBuilder query,
            int scrollSize,
            int maxDocs,
            boolean abortOnConflict,
            boolean refresh
        ) {
            this.client = client;
            this.channel = channel;
            this.indices = indices;
            this.indicesOptions = indicesOptions;
            this.query = query;
            this.scrollSize = scrollSize;
            this.maxDocs = maxDocs;
            this.abortOnConflict = abortOnConflict;
            this.refresh = refresh;
        }

        void start() {
            SearchSourceBuilder source = new SearchSourceBuilder().query(query)
                .size(scrollSize)
                .fetchSource(false)
                .seqNoAndPrimaryTerm(true)
                .trackTotalHits(true)
                .sort("_doc");
            SearchRequest search = new SearchRequest(indices).indicesOptions(indicesOptions).scroll(SCROLL_KEEP_ALIVE).source(source);
            client.search(search, ActionListener.wrap(this::onPage, this::fail));
        }

        private void onPage(SearchResponse response) throws IOException {
            scrollId = response.getScrollId();
            if (batches == 0 && response.getHits().getTotalHits() != null) {
                total = response.getHits().getTotalHits().value;
                if (maxDocs >= 0) {
                    total = Math.min(total, maxDocs);
                }
            }
            BulkRequest bulk = new BulkRequest();
            for (SearchHit hit : response.getHits().getHits()) {
                if (maxDocs >= 0 && seen >= maxDocs) {
                    break;
                }
                seen++;
                bulk.add(new DeleteRequest(hit.getIndex(), hit.getId()).setIfSeqNo(hit.getSeqNo()).setIfPrimaryTerm(hit.getPrimaryTerm()));
            }
            if (bulk.numberOfActions() == 0) {
                finish();
                return;
            }
            client.bulk(bulk, ActionListener.wrap(this::onBulk, this::fail));
        }

        private void onBulk(BulkResponse response) throws IOException {
            batches++;
            for (BulkItemResponse item : response.getItems()) {
                if (item.isFailed()) {
                    if (item.getFailure().getStatus() == RestStatus.CONFLICT) {
                        versionConflicts++;
                        if (abortOnConflict) {
                            failures.add(item.getFailure());
                        }
                    } else {
                        failures.add(item.getFailure());
                    }
                } else {
                    DocWriteResponse written = item.getResponse();
                    if (written.getResult() == DocWriteResponse.Result.DELETED) {
                        deleted++;
                    } else {
                        versionConflicts++; // gone since the search saw it
                    }
                }
            }
            if (failures.isEmpty() == false || (maxDocs >= 0 && seen >= maxDocs)) {
                finish();
                return;
            }
            client.searchScroll(new SearchScrollRequest(scrollId).scroll(SCROLL_KEEP_ALIVE), ActionListener.wrap(this::onPage, this::fail));
        }

        private void clearScroll() {
            if (scrollId != null) {
                ClearScrollRequest clear = new ClearScrollRequest();
                clear.addScrollId(scrollId);
                client.clearScroll(clear, ActionListener.noop());
                scrollId = null;
            }
        }

        private void finish() throws IOException {
            clearScroll();
            if (refresh) {
                client.admin()
                    .indices()
                    .refresh(new RefreshRequest(indices).indicesOptions(indicesOptions), ActionListener.wrap(r -> respond(), this::fail));
            } else {
                respond();
            }
        }

        private void respond() throws IOException {
            RestStatus status = RestStatus.OK;
            for (BulkItemResponse.Failure failure : failures) {
                if (failure.getStatus().getStatus() > status.getStatus()) {
                    status = failure.getStatus();
                }
            }
            XContentBuilder body = channel.newBuilder();
            body.startObject()
                .field("took", (System.nanoTime() - startNanos) / 1_000_000)
                .field("timed_out", false)
                .field("total", total)
                .field("deleted", deleted)
                .field("batches", batches)
                .field("version_conflicts", versionConflicts)
                .field("noops", 0)
                .startObject("retries")
                .field("bulk", 0)
                .field("search", 0)
                .endObject()
                .field("throttled_millis", 0)
                .field("requests_per_second", -1.0)
                .field("throttled_until_millis", 0)
                .startArray("failures");
            for (BulkItemResponse.Failure failure : failures) {
                body.startObject();
                failure.toXContent(body, ToXContent.EMPTY_PARAMS);
                body.endObject();
            }
            body.endArray().endObject();
            channel.sendResponse(new RestResponse(status, body));
        }

        private void fail(Exception error) {
            clearScroll();
            try {
                channel.sendResponse(new RestResponse(channel, error));
            } catch (IOException inner) {
                inner.addSuppressed(error);
                channel.sendResponse(new RestResponse(RestStatus.INTERNAL_SERVER_ERROR, inner.toString()));
            }
        }
    }
}
