import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;

/**
 * DynamoDB Local, in memory, on a free port of 127.0.0.1 only: its own launcher has no host
 * option, binds every interface and refuses port 0, so this sets the loopback address and port 0
 * on its Jetty connectors before starting it, and prints "listening <port>" once it accepts
 * connections.
 */
public class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy =
        ServerRunner.createServerFromCommandLineArgs(new String[] {"-inMemory", "-port", "8000"});
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector connector : server.getConnectors()) {
      connector.setHost("127.0.0.1");
      connector.setPort(0);
    }
    proxy.start();
    System.out.println("listening " + server.getConnectors()[0].getLocalPort());
  }
}
