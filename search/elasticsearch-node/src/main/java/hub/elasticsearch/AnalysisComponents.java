package hub.elasticsearch;

import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ar.ArabicNormalizationFilter;
import org.apache.lucene.analysis.ar.ArabicStemFilter;
import org.apache.lucene.analysis.charfilter.MappingCharFilter;
import org.apache.lucene.analysis.charfilter.NormalizeCharMap;
import org.apache.lucene.analysis.core.DecimalDigitFilter;
import org.apache.lucene.analysis.el.GreekLowerCaseFilter;
import org.apache.lucene.analysis.el.GreekStemFilter;
import org.apache.lucene.analysis.en.EnglishMinimalStemFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.fr.FrenchLightStemFilter;
import org.apache.lucene.analysis.ga.IrishLowerCaseFilter;
import org.apache.lucene.analysis.it.ItalianLightStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.TruncateTokenFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.pattern.PatternReplaceCharFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.tr.TurkishLowerCaseFilter;
import org.elasticsearch.common.regex.Regex;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.analysis.AbstractCharFilterFactory;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.NormalizingCharFilterFactory;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.tartarus.snowball.SnowballStemmer;
import org.tartarus.snowball.ext.EnglishStemmer;
import org.tartarus.snowball.ext.FrenchStemmer;
import org.tartarus.snowball.ext.GermanStemmer;
import org.tartarus.snowball.ext.ItalianStemmer;
import org.tartarus.snowball.ext.PortugueseStemmer;
import org.tartarus.snowball.ext.SpanishStemmer;

/**
 * Factories for the char filters and token filters of Elasticsearch's analysis-common
 * module that the Hub's mapping uses, with the same names and settings, each a thin
 * wrapper around the Lucene class that module wraps.
 */
final class AnalysisComponents {

    private AnalysisComponents() {}

    /** A token filter that also applies to normalizers and multi-term queries (prefix, fuzzy). */
    static final class NormalizingFilter extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        private final Function<TokenStream, TokenStream> wrap;

        NormalizingFilter(String name, Settings settings, Function<TokenStream, TokenStream> wrap) {
            super(name, settings);
            this.wrap = wrap;
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return wrap.apply(tokenStream);
        }
    }

    /** A token filter that changes words beyond normalisation (stemming, n-grams): not for multi-term queries. */
    static final class Filter extends AbstractTokenFilterFactory {
        private final Function<TokenStream, TokenStream> wrap;

        Filter(String name, Settings settings, Function<TokenStream, TokenStream> wrap) {
            super(name, settings);
            this.wrap = wrap;
            // Fail at index creation, not at the first document, on a bad setting.
            wrap.apply(new org.apache.lucene.analysis.miscellaneous.EmptyTokenStream());
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return wrap.apply(tokenStream);
        }
    }

    static final class CharFilter extends AbstractCharFilterFactory implements NormalizingCharFilterFactory {
        private final Function<Reader, Reader> wrap;

        CharFilter(String name, Function<Reader, Reader> wrap) {
            super(name);
            this.wrap = wrap;
        }

        @Override
        public Reader create(Reader reader) {
            return wrap.apply(reader);
        }
    }

    // -- char filters --------------------------------------------------------

    /** `pattern_replace`: pattern, replacement (default ""), flags (Java regex flag names, `|`-separated). */
    static CharFilter patternReplace(String name, Settings settings) {
        String pattern = settings.get("pattern");
        if (pattern == null) {
            throw new IllegalArgumentException("pattern is missing for [" + name + "] char filter of type 'pattern_replace'");
        }
        Pattern compiled = Regex.compile(pattern, settings.get("flags"));
        String replacement = settings.get("replacement", "");
        return new CharFilter(name, reader -> new PatternReplaceCharFilter(compiled, replacement, reader));
    }

    /** `mapping`: rules `source => target` in `mappings` (or a file named by `mappings_path`). */
    static CharFilter mapping(String name, Settings settings, Environment environment) {
        List<String> rules = Analysis.getWordList(environment, settings, "mappings");
        if (rules == null) {
            throw new IllegalArgumentException("mapping requires either `mappings` or `mappings_path` to be configured");
        }
        NormalizeCharMap.Builder builder = new NormalizeCharMap.Builder();
        for (String rule : rules) {
            int arrow = rule.indexOf("=>");
            if (arrow < 0) {
                throw new IllegalArgumentException("Invalid Mapping Rule : [" + rule + "]");
            }
            String source = unescape(rule.substring(0, arrow).trim());
            String target = unescape(rule.substring(arrow + 2).trim());
            if (source.isEmpty()) {
                throw new IllegalArgumentException("Invalid Mapping Rule : [" + rule + "]. Illegal mapping.");
            }
            builder.add(source, target);
        }
        NormalizeCharMap map = builder.build();
        return new CharFilter(name, reader -> new MappingCharFilter(map, reader));
    }

    /** Backslash escapes of mapping rules: \\ \n \t \r \b \f and \\uXXXX; any other escaped character stands for itself. */
    static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i >= text.length()) {
                throw new IllegalArgumentException("Invalid escaped char in [" + text + "]");
            }
            char escaped = text.charAt(i);
            switch (escaped) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    if (i + 4 >= text.length()) {
                        throw new IllegalArgumentException("Invalid escaped char in [" + text + "]");
                    }
                    out.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(escaped);
            }
        }
        return out.toString();
    }

    // -- token filters -------------------------------------------------------

    /** `elision`: strips `articles` (or `articles_path`) followed by an apostrophe; `articles_case` ignores case. */
    static NormalizingFilter elision(String name, Settings settings, Environment environment) {
        CharArraySet articles = Analysis.parseArticles(environment, settings);
        if (articles == null) {
            throw new IllegalArgumentException("elision filter [" + name + "] requires [articles] or [articles_path]");
        }
        return new NormalizingFilter(name, settings, stream -> new org.apache.lucene.analysis.util.ElisionFilter(stream, articles));
    }

    /** `lowercase`, with the language-aware variants `greek`, `irish` and `turkish`. */
    static NormalizingFilter lowercase(String name, Settings settings) {
        String language = settings.get("language");
        Function<TokenStream, TokenStream> wrap;
        if (language == null) {
            wrap = LowerCaseFilter::new;
        } else {
            wrap = switch (language.toLowerCase(Locale.ROOT)) {
                case "greek" -> GreekLowerCaseFilter::new;
                case "irish" -> IrishLowerCaseFilter::new;
                case "turkish" -> TurkishLowerCaseFilter::new;
                default -> throw new IllegalArgumentException("language [" + language + "] not support for lower case");
            };
        }
        return new NormalizingFilter(name, settings, wrap);
    }

    /** `asciifolding`, with `preserve_original`. */
    static NormalizingFilter asciiFolding(String name, Settings settings) {
        boolean preserveOriginal = settings.getAsBoolean("preserve_original", false);
        return new NormalizingFilter(name, settings, stream -> new ASCIIFoldingFilter(stream, preserveOriginal));
    }

    static NormalizingFilter arabicNormalization(String name, Settings settings) {
        return new NormalizingFilter(name, settings, ArabicNormalizationFilter::new);
    }

    static NormalizingFilter decimalDigit(String name, Settings settings) {
        return new NormalizingFilter(name, settings, DecimalDigitFilter::new);
    }

    /** `edge_ngram`: min_gram (1), max_gram (2), preserve_original (false). */
    static Filter edgeNGram(String name, Settings settings) {
        int min = settings.getAsInt("min_gram", 1);
        int max = settings.getAsInt("max_gram", 2);
        boolean preserveOriginal = settings.getAsBoolean("preserve_original", false);
        if (settings.get("side") != null && !"front".equals(settings.get("side"))) {
            throw new IllegalArgumentException("side [" + settings.get("side") + "] is not supported: front only");
        }
        return new Filter(name, settings, stream -> new EdgeNGramTokenFilter(stream, min, max, preserveOriginal));
    }

    /** `truncate`: length (10). */
    static Filter truncate(String name, Settings settings) {
        int length = settings.getAsInt("length", 10);
        if (length <= 0) {
            throw new IllegalArgumentException("length parameter must be provided");
        }
        return new Filter(name, settings, stream -> new TruncateTokenFilter(stream, length));
    }

    private static Function<TokenStream, TokenStream> snowball(Supplier<SnowballStemmer> stemmer) {
        return stream -> new SnowballFilter(stream, stemmer.get());
    }

    /** Algorithms of the `stemmer` filter for the Hub's languages and their neighbours, under Elasticsearch's names. */
    static final Map<String, Function<TokenStream, TokenStream>> STEMMERS = Map.ofEntries(
        Map.entry("arabic", ArabicStemFilter::new),
        Map.entry("greek", GreekStemFilter::new),
        Map.entry("english", PorterStemFilter::new),
        Map.entry("porter", PorterStemFilter::new),
        Map.entry("porter2", snowball(EnglishStemmer::new)),
        Map.entry("light_english", KStemFilter::new),
        Map.entry("kstem", KStemFilter::new),
        Map.entry("minimal_english", EnglishMinimalStemFilter::new),
        Map.entry("possessive_english", EnglishPossessiveFilter::new),
        Map.entry("italian", snowball(ItalianStemmer::new)),
        Map.entry("light_italian", ItalianLightStemFilter::new),
        Map.entry("french", snowball(FrenchStemmer::new)),
        Map.entry("light_french", FrenchLightStemFilter::new),
        Map.entry("german", snowball(GermanStemmer::new)),
        Map.entry("spanish", snowball(SpanishStemmer::new)),
        Map.entry("portuguese", snowball(PortugueseStemmer::new))
    );

    /** `stemmer`: `language` (or `name`), default porter. */
    static Filter stemmer(String name, Settings settings) {
        String language = settings.get("language", settings.get("name", "porter"));
        Function<TokenStream, TokenStream> wrap = STEMMERS.get(language.toLowerCase(Locale.ROOT));
        if (wrap == null) {
            throw new IllegalArgumentException(
                "stemmer [" + language + "] is not available on this node (hub-analysis knows " + new ArrayList<>(STEMMERS.keySet()) + ")"
            );
        }
        return new Filter(name, settings, wrap);
    }
}
